package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A live message the node never got (lost in flight, as in a cluster failover) while its
 * subscription stayed up: the next live event shows the gap, and the node reads the missed ones
 * from the branch's stream before it hands on anything newer. Screens see every seq once, in order.
 */
class MissedLiveEventTest {

    @Test
    void eventsMissedOnTheLiveChannelAreFilledFromTheStreamInOrder() throws Exception {
        try (RedisProcess redis = RedisProcess.start(0)) {
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                RedisCommands<String, String> r = c.sync();
                r.hset(RedisKeys.branches(), "1", "Cabang Utama");
                r.hset(RedisKeys.snapshot(1), "seq", "0");
                var node = RealtimeCluster.node(redis.uri(), Map.of());
                String token = RealtimeCluster.kasirToken(3, "kasir1", 1);
                String url = RealtimeCluster.url(node, "/realtime/stock-updates");
                // The screen says it has seen up to 0, as a page rendered from the snapshot does: its 200
                // comes before the node has registered it, and a fresh screen would start from whatever
                // the branch's head is by then, perhaps already past event 1.
                try (SseClient screen = SseClient.open(url, token, EventCursor.of(Map.of(1L, 0L)).toString())) {
                    assertThat(screen.status).isEqualTo(200);
                    RealtimeCluster.appendStockEvent(r, 1, true);
                    await().atMost(Duration.ofSeconds(5)).until(() -> RealtimeCluster.seqsOf(screen, 1).equals(List.of(1L)));

                    RealtimeCluster.appendStockEvent(r, 2, false); // in the stream, never on the live channel
                    RealtimeCluster.appendStockEvent(r, 3, false);
                    RealtimeCluster.appendStockEvent(r, 4, false);
                    // 4 shows the gap; 5 and 6 reach the node while it reads the stream, and are not
                    // in what it reads (they stand for events written after the read): they must wait
                    // for 2 to 4, then follow. Redis pauses its clients right after publishing them, so
                    // the node's read of the stream is answered only once 5 and 6 are surely in.
                    r.multi();
                    r.publish(RedisKeys.channel(1), RealtimeCluster.stockEnvelope(4));
                    r.publish(RedisKeys.channel(1), RealtimeCluster.stockEnvelope(5));
                    r.publish(RedisKeys.channel(1), RealtimeCluster.stockEnvelope(6));
                    r.clientPause(500);
                    assertThat(r.exec().wasDiscarded()).isFalse();
                    await().atMost(Duration.ofSeconds(10)).until(() -> RealtimeCluster.seqsOf(screen, 1).size() >= 6);
                    Thread.sleep(300); // nothing more may follow
                    assertThat(RealtimeCluster.seqsOf(screen, 1)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                    assertThat(node.getBean(MeterRegistry.class).counter("optik.realtime.gap.fills").count())
                            .isGreaterThanOrEqualTo(1);
                } finally {
                    node.close();
                }
            } finally {
                client.shutdown();
            }
        }
    }
}
