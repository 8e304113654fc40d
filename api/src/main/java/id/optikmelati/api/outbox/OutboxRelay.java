package id.optikmelati.api.outbox;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
 *
 * <p>The outbox is the log and Redis its cache: sent rows are kept for {@code optik.outbox.retention}.
 * When a branch's stream lost events that the outbox still holds (Redis restarted empty, failed over
 * to an empty replica, was flushed), they are written back, in order, before anything newer is
 * appended, so screens that reconnect later replay them instead of getting a {@code reset}.
 */
@Component
public class OutboxRelay implements SmartLifecycle, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** First key of the advisory lock pair; the second is the branch id. */
    private static final int LOCK_NAMESPACE = 0x0b7e_0001;
    private static final int RETENTION_BATCH = 5000;

    private final JdbcClient jdbc;
    private final OutboxRows outbox;
    private final TransactionTemplate tx;
    private final RedisEventLog redis;
    private final RelaySignal signal;
    private final ShopProperties.Outbox config;
    private final Clock clock;
    private final Timer relayLag;
    private final Counter publishErrors;
    private final Counter published;
    private final Counter restored;
    /** Branches whose last relay failed (drain may run on the loop and in tests at once). */
    private final Map<Long, Retry> retries = new ConcurrentHashMap<>();
    private volatile Thread worker;
    private volatile boolean running;

    OutboxRelay(JdbcClient jdbc, OutboxRows outbox, TransactionTemplate tx, RedisEventLog redis, RelaySignal signal,
            ShopProperties properties, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
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
        this.restored = Counter.builder("optik.outbox.restored")
                .description("Events written back into a Redis stream that had lost them")
                .register(meters);
        // Counted when scraped, not on every relay round.
        Gauge.builder("optik.outbox.backlog", outbox, OutboxRows::backlog)
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
        for (long branch : outbox.branchesWithPending()) {
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

    /** One batch of one branch, under its advisory lock; 0 if another relay holds the branch. */
    int relayBranch(long branch) {
        Integer sent = underLock(branch, () -> {
            List<OutboxRows.Row> rows = outbox.pending(branch, config.batchSize());
            if (rows.isEmpty()) {
                return 0;
            }
            List<RedisEventLog.Entry> entries = rows.stream().map(OutboxRelay::entry).toList();
            var streamEnd = redis.appendAfter(branch, entries);
            if (streamEnd.isPresent()) {
                writeBack(branch, streamEnd.getAsLong(), rows.get(0).seq());
                redis.append(branch, entries); // what the outbox no longer holds stays a gap: those screens reset
            }
            Instant now = clock.instant();
            rows.forEach(r -> relayLag.record(Duration.between(r.committedAt(), now)));
            published.increment(rows.size());
            markSent(rows);
            return rows.size();
        });
        return sent == null ? 0 : sent;
    }

    /**
     * Writes the branch's events that its stream lost back into it, if it did (its snapshot went
     * missing: Redis lost its data), before anything newer is appended. Answers how many.
     */
    int restoreBranch(long branch) {
        Integer written = underLock(branch, () -> {
            long end = redis.streamEnd(branch);
            long sent = outbox.lastSent(branch);
            return end < sent ? writeBack(branch, end, sent + 1) : 0;
        });
        return written == null ? 0 : written;
    }

    private Integer underLock(long branch, java.util.function.Supplier<Integer> work) {
        return tx.execute(status -> {
            boolean mine = jdbc.sql("select pg_try_advisory_xact_lock(:ns, cast(:branch as int))")
                    .param("ns", LOCK_NAMESPACE).param("branch", branch).query(Boolean.class).single();
            return mine ? work.get() : 0;
        });
    }

    /**
     * Writes back the sent events with {@code after < seq < before} that the stream would still
     * hold (no older than its max age, no more than its length), oldest first.
     */
    private int writeBack(long branch, long after, long before) {
        List<OutboxRows.Row> lost = outbox.sent(branch, after, before,
                clock.instant().minus(config.streamMaxAge()), (int) Math.min(Integer.MAX_VALUE, config.streamMaxLength()));
        for (int from = 0; from < lost.size(); from += config.batchSize()) {
            List<OutboxRows.Row> batch = lost.subList(from, Math.min(lost.size(), from + config.batchSize()));
            redis.restore(branch, batch.stream().map(OutboxRelay::entry).toList());
        }
        if (!lost.isEmpty()) {
            restored.increment(lost.size());
            log.warn("branch {}: its Redis stream had lost events {} to {}; wrote them back from the outbox",
                    branch, lost.get(0).seq(), lost.get(lost.size() - 1).seq());
        }
        return lost.size();
    }

    /** Seam for the crash test: the relay dies after Redis took the rows and before this runs. */
    void markSent(List<OutboxRows.Row> rows) {
        outbox.markSent(rows, clock.instant());
    }

    static RedisEventLog.Entry entry(OutboxRows.Row row) {
        // jsonb's text has spaces after every colon and comma; the wire carries compact JSON
        String data = EventCodec.toJson(EventCodec.mapper().readTree(row.payload()));
        ShopEvent event = new ShopEvent(row.branchId(), row.seq(), row.type(), row.committedAt(), data);
        return new RedisEventLog.Entry(row.seq(), row.committedAt().toEpochMilli(), EventCodec.encode(event),
                snapshotPatch(event));
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
            case ORDER_READY, STOCK_FORECAST, PRODUCT_CHANGED, USER_CHANGED, TRANSFER_CHANGED -> { }
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

    /**
     * Age-trims every branch stream every {@code optik.outbox.trim-interval} (length is trimmed on
     * every append), and deletes the sent rows past the retention.
     */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::trimByAge, config.trimInterval());
        tasks.addFixedDelayTask(this::deletePastRetention, config.trimInterval());
    }

    /** Sent rows older than the retention go, a batch at a time, so no statement holds many locks. */
    void deletePastRetention() {
        try {
            Instant before = clock.instant().minus(config.retention());
            int deleted;
            do {
                deleted = outbox.deleteSentBefore(before, RETENTION_BATCH);
            } while (deleted == RETENTION_BATCH && running);
        } catch (RuntimeException e) {
            log.debug("outbox retention skipped: {}", e.toString());
        }
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
