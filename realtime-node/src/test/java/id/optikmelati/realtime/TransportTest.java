package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/** The streams' event loops run on the transport configured, epoll by default, io_uring when asked. */
class TransportTest {

    static RedisProcess redis;
    static NodeProcess api;
    static ApiClient shop;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        api = RealtimeCluster.api(redis.uri());
        shop = RealtimeCluster.client(api);
    }

    @AfterAll
    static void stop() {
        api.close();
        redis.stop();
    }

    static EventLoops.Transport transportOf(ConfigurableApplicationContext node) {
        return ((EventLoops) node.getBean(ReactorResourceFactory.class).getLoopResources()).transport();
    }

    @Test
    void aNodeRunsOnEpollUnlessToldOtherwise() {
        try (ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of())) {
            assertThat(transportOf(node)).isEqualTo(EventLoops.Transport.EPOLL);
        }
    }

    @Test
    void aNodeOnIoUringDeliversEverySaleInOrderAndReplaysFromACursor() throws Exception {
        try (ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(),
                Map.of("optik.realtime.transport", "io-uring"))) {
            assertThat(transportOf(node)).isEqualTo(EventLoops.Transport.IO_URING);
            var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(RealtimeCluster.managementUrl(node, "/actuator/health"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200); // the management port, on the same loops
            String admin1 = shop.login("admin1", "melati-demo");
            long product = RealtimeCluster.product(1, 1000);
            String cursor;
            long endSeq;
            try (SseClient live = SseClient.open(RealtimeCluster.url(node, "/realtime/dashboard"), admin1, null)) {
                assertThat(live.status).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> !live.named("omset").isEmpty());
                long startSeq = RealtimeCluster.branchSeq(1);
                for (int i = 0; i < 20; i++) {
                    RealtimeCluster.sell(shop, admin1, product);
                }
                endSeq = RealtimeCluster.branchSeq(1);
                long last = endSeq;
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    List<Long> s = RealtimeCluster.seqsOf(live, 1);
                    return !s.isEmpty() && s.get(s.size() - 1) == last;
                });
                assertThat(RealtimeCluster.seqsOf(live, 1))
                        .isEqualTo(LongStream.rangeClosed(startSeq + 1, endSeq).boxed().toList());
                cursor = live.lastId();
            }

            // Away for five sales, the screen comes back with its cursor and gets exactly those.
            for (int i = 0; i < 5; i++) {
                RealtimeCluster.sell(shop, admin1, product);
            }
            long missedUpTo = RealtimeCluster.branchSeq(1);
            try (SseClient back = SseClient.open(RealtimeCluster.url(node, "/realtime/dashboard"), admin1, cursor)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    List<Long> s = RealtimeCluster.seqsOf(back, 1);
                    return !s.isEmpty() && s.get(s.size() - 1) == missedUpTo;
                });
                assertThat(RealtimeCluster.seqsOf(back, 1))
                        .isEqualTo(LongStream.rangeClosed(endSeq + 1, missedUpTo).boxed().toList());
            }
        }
    }
}
