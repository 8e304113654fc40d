package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.realtime.stream.Hub;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Before it reports ready, a node opens streams to itself through the whole path, new ones and
 * resumed ones; it leaves nothing behind that a real screen would notice.
 */
class WarmUpTest {

    @Test
    void aNodeServesItsOwnNewAndResumedStreamsBeforeItIsReadyAndLeavesNoTrace() throws Exception {
        try (RedisProcess redis = RedisProcess.start(0)) {
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                RedisCommands<String, String> r = c.sync();
                r.hset(RedisKeys.branches(), "1", "Cabang Utama");
                r.hset(RedisKeys.branches(), "2", "Cabang Dua");
                r.hset(RedisKeys.snapshot(2), "seq", "0");
                for (long seq = 1; seq <= 30; seq++) {
                    RealtimeCluster.appendStockEvent(r, seq, false);
                }
                // Three connects a minute from the loopback: the warm-up's forty fit only because
                // they are not counted as the loopback's own.
                ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                        "optik.realtime.warm-up-streams", "40",
                        "optik.realtime.connects-per-ip-per-minute", "3"));
                try {
                    MeterRegistry meters = node.getBean(MeterRegistry.class);
                    assertThat(meters.counter("optik.realtime.connects", "outcome", "warm-up").count()).isEqualTo(40);
                    assertThat(meters.counter("optik.realtime.connects", "outcome", "accepted").count()).isZero();
                    assertThat(meters.counter("optik.realtime.replays", "source", "redis").count()
                            + meters.counter("optik.realtime.replays", "source", "memory").count()).isPositive();

                    Hub hub = node.getBean(Hub.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> hub.connections().isEmpty());
                    await().atMost(Duration.ofSeconds(10)).until(() -> r.keys("*conn:{u-*").isEmpty()); // the leases given back

                    String url = RealtimeCluster.url(node, "/realtime/stock-updates");
                    String token = RealtimeCluster.kasirToken(3, "kasir1", 1);
                    List<SseClient> screens = new ArrayList<>();
                    try {
                        for (int i = 0; i < 3; i++) {
                            screens.add(SseClient.open(url, token, null));
                        }
                        assertThat(screens).allMatch(s -> s.status == 200);
                        assertThat(meters.counter("optik.realtime.connects", "outcome", "accepted").count()).isEqualTo(3);
                        try (SseClient fourth = SseClient.open(url, token, null)) {
                            assertThat(fourth.status).isEqualTo(429); // the limit itself still holds
                        }
                    } finally {
                        screens.forEach(SseClient::close);
                    }
                } finally {
                    node.close();
                }
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aChainWithoutEventsYetWarmsUpOnNewStreamsAlone() throws Exception {
        try (RedisProcess redis = RedisProcess.start(0)) {
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                c.sync().hset(RedisKeys.branches(), "1", "Cabang Utama");
                ConfigurableApplicationContext node = RealtimeCluster.node(redis.uri(), Map.of(
                        "optik.realtime.warm-up-streams", "10"));
                try {
                    MeterRegistry meters = node.getBean(MeterRegistry.class);
                    assertThat(meters.counter("optik.realtime.connects", "outcome", "warm-up").count()).isEqualTo(10);
                } finally {
                    node.close();
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** What a training run of the AOT cache exits with (RealtimeApplication.main passes it to System.exit). */
    @Test
    void aTrainingRunEndsWellOnlyWhenEveryWarmUpStreamWasServed() throws Exception {
        try (RedisProcess redis = RedisProcess.start(0)) {
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                c.sync().hset(RedisKeys.branches(), "1", "Cabang Utama");
                ConfigurableApplicationContext served = RealtimeCluster.node(redis.uri(), Map.of(
                        "optik.realtime.warm-up-streams", "20", "optik.realtime.training-run", "true"));
                assertThat(SpringApplication.exit(served)).isZero();
                assertThat(served.isActive()).isFalse();

                ConfigurableApplicationContext outOfTime = RealtimeCluster.node(redis.uri(), Map.of(
                        "optik.realtime.warm-up-streams", "100000", "optik.realtime.warm-up-timeout", "200ms",
                        "optik.realtime.training-run", "true"));
                assertThat(SpringApplication.exit(outOfTime)).isEqualTo(1);
            } finally {
                client.shutdown();
            }
        }
    }
}
