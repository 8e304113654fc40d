package id.optikmelati.api.outbox;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.omset.OmsetQuery;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps a snapshot of every branch in Redis (omset and stock, at a known seq) for the realtime
 * nodes' first figures and {@code reset} events. The relay folds each event in; this seeds it from
 * PostgreSQL when Redis does not have it (first start, or Redis came back empty: then the branch's
 * stream is written back from the outbox first), and tells the realtime nodes which branches exist.
 */
@Component
class SnapshotSeeder implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSeeder.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate snapshotTx;
    private final RedisEventLog redis;
    private final OmsetQuery omset;
    private final Clock clock;
    private final ShopProperties properties;
    private final OutboxRelay relay;

    SnapshotSeeder(JdbcClient jdbc, PlatformTransactionManager txManager, RedisEventLog redis, OmsetQuery omset,
            Clock clock, ShopProperties properties, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
        this.snapshotTx = new TransactionTemplate(txManager);
        // One consistent read: the branch's seq and the state it describes.
        snapshotTx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshotTx.setReadOnly(true);
        this.redis = redis;
        this.omset = omset;
        this.clock = clock;
        this.properties = properties;
    }

    /** Every {@code optik.outbox.snapshot-check-interval}, after the first check at start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration every = properties.outbox().snapshotCheckInterval();
        tasks.addFixedDelayTask(new FixedDelayTask(this::seedMissing, every, every));
    }

    /** First when the node is ready (after data loaders ran, so a new chain is seeded at once). */
    @EventListener(ApplicationReadyEvent.class)
    void seedMissing() {
        try {
            Map<Long, String> branches = new LinkedHashMap<>();
            jdbc.sql("select id, name from branch order by id")
                    .query((rs, i) -> branches.put(rs.getLong("id"), rs.getString("name"))).list();
            redis.registerBranches(branches);
            for (long branch : branches.keySet()) {
                if (!redis.snapshotExists(branch)) {
                    relay.restoreBranch(branch); // Redis lost the branch's data: its stream first
                    seed(branch);
                }
            }
        } catch (RuntimeException e) {
            log.debug("snapshot check skipped (Redis or PostgreSQL unavailable): {}", e.toString());
        }
    }

    /** Reads the branch at one seq and hands it to Redis, which keeps it unless it has newer. */
    boolean seed(long branch) {
        record Read(long seq, Map<String, String> fields) {}
        Read read = snapshotTx.execute(status -> {
            var row = jdbc.sql("select name, event_seq from branch where id = :id").param("id", branch)
                    .query((rs, i) -> Map.entry(rs.getString("name"), rs.getLong("event_seq"))).single();
            String branchName = row.getKey();
            Map<String, String> fields = new LinkedHashMap<>();
            LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
            fields.put(RedisKeys.SNAPSHOT_OMSET, EventCodec.toJson(omset.of(branch, today)));
            jdbc.sql("""
                            select p.id, p.kode, p.name, p.type, s.quantity
                            from stock s join product p on p.id = s.product_id where s.branch_id = :branch and p.active
                            """)
                    .param("branch", branch)
                    .query((rs, i) -> {
                        var update = Payloads.StockUpdate.of(ProductType.valueOf(rs.getString("type")),
                                rs.getLong("id"), rs.getString("name"), rs.getString("kode"), branch, branchName,
                                rs.getInt("quantity"), rs.getInt("quantity"));
                        return fields.put(RedisKeys.snapshotStockField(update.productId()), EventCodec.toJson(update));
                    })
                    .list();
            return new Read(row.getValue(), fields);
        });
        boolean seeded = redis.seedSnapshot(branch, read.seq(), read.fields());
        if (seeded) {
            log.info("seeded the Redis snapshot of branch {} at seq {}", branch, read.seq());
        }
        return seeded;
    }
}
