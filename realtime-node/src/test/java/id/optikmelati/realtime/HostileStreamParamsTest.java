package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.HostileValues;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Generated hostile stream parameters ({@code Last-Event-ID} as a header or {@code ?lastEventId=},
 * {@code ?branch=}) on a real node, API, Redis and PostgreSQL. A stream is refused with problem+json,
 * or it opens and then, after a sale, gets that sale's event or a {@code reset}: never a 5xx and
 * never a stream that stays silent.
 */
class HostileStreamParamsTest {

    private static final int CASES = 30;
    private static final Set<String> AFTER_A_SALE = Set.of("stock", "sale", "omset", "reset");

    static RedisProcess redis;
    static NodeProcess api;
    static ApiClient shop;
    static ConfigurableApplicationContext node;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        api = RealtimeCluster.api(redis.uri());
        shop = RealtimeCluster.client(api);
        // every case opens a stream from this one address and user, well within a minute
        node = RealtimeCluster.node(redis.uri(), Map.of("optik.realtime.connects-per-ip-per-minute", "10000",
                "optik.realtime.connections-per-user", "1000"));
    }

    @AfterAll
    static void stop() {
        node.close();
        api.close();
        redis.stop();
    }

    @Test
    void everyHostileCursorOrBranchIsRefusedClearlyOrEndsInTheSaleOrAReset() throws Exception {
        String admin1 = shop.login("admin1", "melati-demo");
        String superadmin = shop.login("superadmin", "melati-demo");
        long product = RealtimeCluster.product(1, 10_000);
        int opened = 0;
        for (int i = 0; i < CASES; i++) {
            String stream = Arbitraries.of("dashboard", "stock-updates", "omset-kasir").sample();
            boolean asSuperAdmin = Math.random() < 0.4;
            String cursor = HostileValues.cursor().sample();
            String branch = Math.random() < 0.3 ? HostileValues.notAnId().sample() : null;
            boolean inHeader = Math.random() < 0.5 && headerSafe(cursor);
            String url = RealtimeCluster.url(node, "/realtime/" + stream) + query(inHeader ? null : cursor, branch);
            String what = (asSuperAdmin ? "superadmin " : "admin1 ") + excerpt(url)
                    + (inHeader ? " Last-Event-ID: " + excerpt(cursor) : "");
            try (SseClient client = SseClient.open(url, asSuperAdmin ? superadmin : admin1, inHeader ? cursor : null)) {
                assertThat(client.status).as(what).isLessThan(500);
                if (client.status != 200) {
                    assertThat(client.status).as(what).isBetween(400, 499);
                    assertThat(client.contentType).as(what).startsWith("application/problem+json");
                    assertThat(client.refusal).as(what).contains("https://optikmelati.id/problems/")
                            .hasSizeLessThan(2_000).doesNotContainPattern("java\\.|netty|springframework|Exception");
                    continue;
                }
                opened++;
                // the stream is up (its hello), and whatever it replays on connect has arrived
                Awaitility.await(what).atMost(Duration.ofSeconds(5)).until(() -> !client.comments.isEmpty());
                quiet(client);
                int before = client.messages.size();
                RealtimeCluster.sell(shop, admin1, product);
                String productId = Long.toString(product);
                // within the node's history-rewrite wait (5 s: a cursor it cannot place may wait that long
                // for the API to write back history or snapshots before its reset) and then some
                Awaitility.await(what).atMost(Duration.ofSeconds(12)).failFast(what + ": the stream ended",
                        client::ended).until(() -> client.messages.subList(before, client.messages.size()).stream()
                        .anyMatch(m -> m.event().equals("reset") || (AFTER_A_SALE.contains(m.event())
                                && (m.event().equals("omset") || m.data().contains(productId)))));
            }
        }
        System.out.printf("hostile stream parameters: %d cases, %d streams opened, %d refused%n", CASES, opened,
                CASES - opened);
        assertThat(opened).as("cases where a stream opened").isPositive();
    }

    /** Waits until no message has come for half a second. */
    private static void quiet(SseClient client) throws InterruptedException {
        int seen;
        do {
            seen = client.messages.size();
            Thread.sleep(500);
        } while (client.messages.size() != seen);
    }

    /** What Java's HTTP client, like any careful client, would put in a header. */
    private static boolean headerSafe(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !value.isBlank() && value.equals(value.strip());
    }

    private static String query(String cursor, String branch) {
        StringBuilder q = new StringBuilder();
        if (cursor != null) {
            q.append("lastEventId=").append(HostileValues.encoded(cursor));
        }
        if (branch != null) {
            q.append(q.isEmpty() ? "" : "&").append("branch=").append(HostileValues.encoded(branch));
        }
        return q.isEmpty() ? "" : "?" + q;
    }

    private static String excerpt(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
