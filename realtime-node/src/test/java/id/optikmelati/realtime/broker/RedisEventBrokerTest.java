package id.optikmelati.realtime.broker;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.redis.RedisConnector;
import id.optikmelati.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis broker keeps the same contract, on a real Redis, written by the API relay's own
 * publish script.
 */
class RedisEventBrokerTest extends EventBrokerContract {

    static RedisProcess redis;
    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;
    static String publishScript;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start(0);
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        publishScript = Files.readString(Path.of("..", "api", "src", "main", "resources", "redis", "publish.lua"));
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        redis.stop();
    }

    @Override
    Store store() {
        RedisCommands<String, String> r = connection.sync();
        r.flushall();
        RedisConnector connector = new RedisConnector(redis.uri(), RedisConnector.Mode.STANDALONE, Duration.ofSeconds(2));
        RedisEventBroker broker = new RedisEventBroker(connector, new SimpleMeterRegistry());
        return new Store() {
            @Override
            public EventBroker broker() {
                return broker;
            }

            @Override
            public void addBranch(long branchId, String name) {
                r.hset(RedisKeys.branches(), Long.toString(branchId), name);
            }

            @Override
            public void publish(ShopEvent event) {
                long branch = event.branchId();
                r.eval(publishScript, ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.stream(branch), RedisKeys.snapshot(branch), RedisKeys.channel(branch)},
                        "10000", "PUBLISH", "1", Long.toString(event.seq()),
                        Long.toString(event.committedAt().toEpochMilli()), EventCodec.encode(event), "0");
            }

            @Override
            public void record(ShopEvent event) {
                r.xadd(RedisKeys.stream(event.branchId()), new XAddArgs().id(RedisKeys.streamEntryId(event.seq())),
                        Map.of("ts", Long.toString(event.committedAt().toEpochMilli()), "e", EventCodec.encode(event)));
            }

            @Override
            public void putSnapshot(EventBroker.BranchSnapshot s) {
                String key = RedisKeys.snapshot(s.branchId());
                r.hset(key, RedisKeys.SNAPSHOT_SEQ, Long.toString(s.seq()));
                r.hset(key, RedisKeys.SNAPSHOT_OMSET, EventCodec.toJson(s.omset()));
                s.stock().forEach(u -> r.hset(key, RedisKeys.snapshotStockField(u.productId()), EventCodec.toJson(u)));
            }

            @Override
            public void trimBefore(long branchId, long firstKeptSeq) {
                r.xtrim(RedisKeys.stream(branchId), new io.lettuce.core.XTrimArgs().minId(RedisKeys.streamEntryId(firstKeptSeq)));
            }

            @Override
            public void close() {
                broker.close();
                connector.close();
            }
        };
    }
}
