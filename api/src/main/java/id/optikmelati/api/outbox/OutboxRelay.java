package id.optikmelati.api.outbox;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed events from the outbox table to Redis, in each branch's seq order.
 *
 * <p>Several API nodes may run a relay; a transaction-scoped advisory lock per branch lets exactly
 * one of them work on a branch at a time, so a branch's events enter its stream in order. Rows are
 * marked sent only after Redis took them; if the relay dies in between, the next run sends them
 * again and the Lua script skips the seqs the stream already has: exactly once in the stream.
 */
@Component
public class OutboxRelay implements SmartLifecycle, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** First key of the advisory lock pair; the second is the branch id. */
    private static final int LOCK_NAMESPACE = 0x0b7e_0001;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RedisEventLog redis;
    private final RelaySignal signal;
    private final ShopProperties.Outbox config;
    private final Clock clock;
    private final Timer relayLag;
    private final Counter publishErrors;
    private final Counter published;
    /** Branches whose last relay failed (drain may run on the loop and in tests at once). */
    private final Map<Long, Retry> retries = new ConcurrentHashMap<>();
    private volatile Thread worker;
    private volatile boolean running;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, RedisEventLog redis, RelaySignal signal,
            ShopProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.redis = redis;
        this.signal = signal;
        this.config = properties.outbox();
        this.clock = clock;
        this.relayLag = Timer.builder("optik.outbox.relay.lag")
                .description("From an event's commit to its arrival in Redis")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
        this.publishErrors = Counter.builder("optik.redis.publish.errors")
                .description("Relay attempts that failed because Redis did not take the events")
                .register(meters);
        this.published = Counter.builder("optik.outbox.published")
                .description("Events the relay appended to Redis streams")
                .register(meters);
        // Counted when scraped, not on every relay round.
        Gauge.builder("optik.outbox.backlog", jdbc, OutboxRelay::backlog)
                .description("Outbox rows not yet relayed to Redis")
                .register(meters);
    }

    /**
     * Relays everything pending now; returns the number of rows marked sent. Used by the loop and tests.
     * A branch whose relay fails (its Redis shard is out, its stream key broken) waits out a backoff
     * of its own; the other branches go on meanwhile.
     */
    public int drain() {
        int total = 0;
        List<Long> branches = jdbc.sql("select distinct branch_id from outbox_event where published_at is null order by branch_id")
                .query(Long.class).list();
        for (long branch : branches) {
            Retry retry = retries.get(branch);
            if (retry != null && clock.millis() < retry.atMillis()) {
                continue;
            }
            try {
                int sent;
                do {
                    sent = relayBranch(branch);
                    total += sent;
                } while (sent >= config.batchSize());
                retries.remove(branch);
            } catch (RuntimeException e) {
                if (e instanceof DataAccessException || e instanceof TransactionException) {
                    throw e; // the database, not the branch: the loop backs off as a whole
                }
                publishErrors.increment();
                long backoff = retry == null ? 100 : Math.min(retry.backoffMillis() * 2, config.maxBackoff().toMillis());
                retries.put(branch, new Retry(backoff, clock.millis() + backoff));
                log.warn("relay of branch {} failed, its events wait in the outbox; retrying in {} ms: {}", branch,
                        backoff, e.toString());
            }
        }
        return total;
    }

    /** When a branch whose relay failed is tried again, and the wait that led there. */
    private record Retry(long backoffMillis, long atMillis) {}

    private static double backlog(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from outbox_event where published_at is null").query(Long.class).single();
    }

    /** One batch of one branch, under its advisory lock; 0 if another relay holds the branch. */
    int relayBranch(long branch) {
        Integer sent = tx.execute(status -> {
            boolean mine = jdbc.sql("select pg_try_advisory_xact_lock(:ns, cast(:branch as int))")
                    .param("ns", LOCK_NAMESPACE).param("branch", branch).query(Boolean.class).single();
            if (!mine) {
                return 0;
            }
            List<Row> rows = pending(branch);
            if (rows.isEmpty()) {
                return 0;
            }
            redis.append(branch, rows.stream().map(Row::toEntry).toList());
            Instant now = clock.instant();
            rows.forEach(r -> relayLag.record(Duration.between(r.committedAt(), now)));
            published.increment(rows.size());
            markSent(rows);
            return rows.size();
        });
        return sent == null ? 0 : sent;
    }

    private List<Row> pending(long branch) {
        return jdbc.sql("""
                        select id, branch_id, seq, type, payload::text as payload, committed_at
                        from outbox_event
                        where branch_id = :branch and published_at is null
                        order by seq
                        limit :limit
                        """)
                .param("branch", branch)
                .param("limit", config.batchSize())
                .query((rs, i) -> new Row(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("seq"),
                        EventType.fromWireName(rs.getString("type")).orElseThrow(),
                        rs.getString("payload"), rs.getTimestamp("committed_at").toInstant()))
                .list();
    }

    /** Seam for the crash test: the relay dies after Redis took the rows and before this runs. */
    void markSent(List<Row> rows) {
        jdbc.sql("update outbox_event set published_at = :now where id in (:ids)")
                .param("now", Timestamp.from(clock.instant()))
                .param("ids", rows.stream().map(Row::id).toList())
                .update();
    }

    record Row(long id, long branchId, long seq, EventType type, String payload, Instant committedAt) {

        RedisEventLog.Entry toEntry() {
            // jsonb's text has spaces after every colon and comma; the wire carries compact JSON
            String data = EventCodec.toJson(EventCodec.mapper().readTree(payload));
            ShopEvent event = new ShopEvent(branchId, seq, type, committedAt, data);
            return new RedisEventLog.Entry(seq, committedAt.toEpochMilli(), EventCodec.encode(event),
                    snapshotPatch(event));
        }
    }

    /** The snapshot fields an event sets: the day's omset after a sale or a return, each product's stock. */
    static Map<String, String> snapshotPatch(ShopEvent event) {
        Map<String, String> patch = new LinkedHashMap<>();
        switch (event.type()) {
            case SALE_CREATED -> patch.put(RedisKeys.SNAPSHOT_OMSET,
                    EventCodec.toJson(event.dataAs(Payloads.SaleCreated.class).omset()));
            case SALE_RETURNED -> patch.put(RedisKeys.SNAPSHOT_OMSET,
                    EventCodec.toJson(event.dataAs(Payloads.SaleReturned.class).omset()));
            case STOCK_CHANGED -> event.dataAs(Payloads.StockChanged.class).updates()
                    .forEach(u -> patch.put(RedisKeys.snapshotStockField(u.productId()), EventCodec.toJson(u)));
            case ORDER_READY, STOCK_FORECAST, PRODUCT_CHANGED, USER_CHANGED -> { }
        }
        return patch;
    }

    // ---- the loop ----

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::loop, "outbox-relay");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                signal.await(backoff > 0 ? backoff : config.pollInterval().toMillis());
                if (!running) {
                    return;
                }
                drain();
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The outbox could not be read (a branch's own Redis failure is handled in drain).
                backoff = Math.min(Math.max(backoff * 2, 100), config.maxBackoff().toMillis());
                log.warn("relay could not read the outbox, events wait there; retrying in {} ms: {}", backoff, e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            signal.wake();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Age-trims every branch stream every {@code optik.outbox.trim-interval}; length is trimmed on every append. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::trimByAge, config.trimInterval());
    }

    void trimByAge() {
        long cutoff = clock.instant().minus(config.streamMaxAge()).toEpochMilli();
        try {
            for (long branch : jdbc.sql("select id from branch").query(Long.class).list()) {
                redis.trimOlderThan(branch, cutoff);
            }
        } catch (RuntimeException e) {
            log.debug("stream trim skipped: {}", e.toString());
        }
    }
}
