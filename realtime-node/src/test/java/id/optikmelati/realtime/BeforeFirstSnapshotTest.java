package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A screen that connects before the API has written any snapshot to Redis (a new chain, or Redis
 * just came back empty) still gets a stream: a zero omset first, then live events as they come.
 */
class BeforeFirstSnapshotTest {

    @Test
    void aScreenConnectingBeforeAnySnapshotGetsAZeroFigureAndThenLiveEvents() throws Exception {
        try (RedisProcess redis = RedisProcess.start(0)) {
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                c.sync().hset(RedisKeys.branches(), "1", "Cabang Utama"); // the branch exists, nothing else
                var node = RealtimeCluster.node(redis.uri(), Map.of());
                String token = RealtimeCluster.kasirToken(3, "kasir1", 1);
                String url = RealtimeCluster.url(node, "/realtime/omset-kasir");
                try (SseClient screen = SseClient.open(url, token, null)) {
                    assertThat(screen.status).isEqualTo(200);
                    await().atMost(Duration.ofSeconds(5)).until(() -> !screen.messages.isEmpty());
                    var first = screen.messages.get(0);
                    assertThat(first.event()).as(screen.messages.toString()).isEqualTo("omset");
                    assertThat(first.id()).isNull(); // no position to name yet
                    assertThat(first.data()).contains("\"total\":0", "\"transactions\":0");

                    var omset = new Payloads.Omset(LocalDate.now(), 1, 90_000, 0, 90_000, 1);
                    var sale = new Payloads.SaleCreated(1, "INV-1-1", 1, "Cabang Utama", 90_000, PaymentType.UMUM,
                            "kasir1", null, List.of(), Instant.now(), omset);
                    c.sync().publish(RedisKeys.channel(1), EventCodec.encode(ShopEvent.of(1, 1,
                            EventType.SALE_CREATED, Instant.now(), sale)));
                    await().atMost(Duration.ofSeconds(5)).until(() -> screen.messages.size() >= 2);
                    assertThat(screen.messages.get(1).id()).isEqualTo("1:1");
                    assertThat(screen.messages.get(1).data()).contains("\"total\":90000");
                } finally {
                    node.close();
                }
            } finally {
                client.shutdown();
            }
        }
    }
}
