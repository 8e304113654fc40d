package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import id.optikmelati.testkit.TestNodeArgs;
import id.optikmelati.testkit.TestShop;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The outbox is the log Redis is rebuilt from, for as long as it keeps events: a screen whose
 * cursor is older than that, once Redis lost its data, gets a {@code reset} (the state, rebuilt),
 * never a gap and never silence. A short retention stands in for the default 48 hours.
 */
class RetentionTest {

    static RedisProcess redis;
    static NodeProcess api;
    static ApiClient shop;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        api = NodeProcess.start("api", FreePorts.find(), TestNodeArgs.with(
                TestNodeArgs.api(redis.uri(), RealtimeCluster.SECRET),
                List.of("--optik.outbox.retention=2s", "--optik.outbox.trim-interval=500ms",
                        "--optik.outbox.snapshot-check-interval=1s")));
        shop = RealtimeCluster.client(api);
    }

    @AfterAll
    static void stop() {
        api.close();
        redis.stop();
    }

    @Test
    void aCursorOlderThanTheOutboxKeepsGetsAResetOnceRedisLostItsData() throws Exception {
        String admin1 = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 1000);
        RealtimeCluster.sell(shop, admin1, product);
        long old = RealtimeCluster.branchSeq(1); // where a screen that then slept for days stood
        RealtimeCluster.sell(shop, admin1, product);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                TestShop.queryLong("select count(*) from outbox_event where branch_id = 1 and seq <= ?", old + 1) == 0);

        RedisClient client = RedisClient.create(redis.uri());
        try (var c = client.connect()) {
            c.sync().flushall(); // Redis lost its data, and the outbox no longer holds the screen's events
        } finally {
            client.shutdown();
        }
        RealtimeCluster.sell(shop, admin1, product);
        long head = RealtimeCluster.branchSeq(1);

        ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of());
        try (SseClient screen = SseClient.open(RealtimeCluster.url(node, "/realtime/dashboard"), admin1, "1:" + old)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !screen.named("reset").isEmpty());
            SseClient.Message reset = screen.named("reset").get(0);
            assertThat(reset.id()).as("the reset's id is the rebuilt state's position").isEqualTo("1:" + head);
            assertThat(screen.named("sale")).as("nothing from before the reset").isEmpty();

            RealtimeCluster.sell(shop, admin1, product); // and it is live from there
            await().atMost(Duration.ofSeconds(10)).until(() -> !screen.named("sale").isEmpty());
            assertThat(screen.named("sale").get(0).id()).isEqualTo("1:" + (head + 1));
        } finally {
            node.close();
        }
    }
}
