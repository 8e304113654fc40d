package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two realtime nodes and one API on real PostgreSQL and Redis: failover with Last-Event-ID while
 * sales flow, branch isolation, resets, a dropped Redis subscription, and the cluster-wide limit.
 */
class ReplayAndFailoverTest {

    static RedisProcess redis;
    static NodeProcess api;
    static ConfigurableApplicationContext nodeB;
    static ApiClient shop;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        api = RealtimeCluster.api(redis.uri());
        nodeB = RealtimeCluster.node(redis.uri(), Map.of("optik.realtime.connections-per-user", "3"));
        shop = RealtimeCluster.client(api);
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        api.close();
        redis.stop();
    }

    static String url(ConfigurableApplicationContext node, String path) {
        return RealtimeCluster.url(node, path);
    }

    static void sell(String token, long product) {
        RealtimeCluster.sell(shop, token, product);
    }

    static long product(long branch, int stock) {
        return RealtimeCluster.product(branch, stock);
    }

    static long branchSeq(long branch) {
        return RealtimeCluster.branchSeq(branch);
    }

    static List<Long> seqsOf(SseClient client, long branch) {
        return RealtimeCluster.seqsOf(client, branch);
    }

    @Test
    void aClientFailsOverToAnotherNodeWithNoGapAndNoDuplicateWhileSalesFlow() throws Exception {
        ConfigurableApplicationContext nodeA = RealtimeCluster.node(redis.uri(), Map.of());
        String kasir1 = shop.login("kasir1", "melati-demo");
        String kasir2 = shop.login("kasir2", "melati-demo");
        long p1 = product(1, 1000);
        long p2 = product(2, 1000);
        long startSeq = branchSeq(1);

        SseClient first = SseClient.open(url(nodeA, "/realtime/dashboard"), kasir1, null);
        assertThat(first.status).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.named("omset").isEmpty());

        AtomicBoolean selling = new AtomicBoolean(true);
        AtomicInteger sold = new AtomicInteger();
        Thread cashiers = new Thread(() -> {
            while (selling.get() && sold.get() < 200) {
                sell(kasir1, p1);
                sell(kasir2, p2);
                sold.incrementAndGet();
            }
        });
        cashiers.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.named("sale").size() >= 5);

        nodeA.close(); // node A goes away mid-stream: its clients are told to reconnect elsewhere
        await().atMost(Duration.ofSeconds(5)).until(first::ended);
        assertThat(first.named("reconnect")).hasSize(1);
        String resumeFrom = first.lastId();

        SseClient second = SseClient.open(url(nodeB, "/realtime/dashboard"), kasir1, resumeFrom);
        assertThat(second.status).isEqualTo(200);
        Thread.sleep(500);
        selling.set(false);
        cashiers.join();
        long endSeq = branchSeq(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Long> s = seqsOf(second, 1);
            return !s.isEmpty() && s.get(s.size() - 1) == endSeq;
        });

        List<Long> all = new ArrayList<>(seqsOf(first, 1));
        all.addAll(seqsOf(second, 1));
        long firstSeen = all.get(0);
        assertThat(firstSeen).isGreaterThan(startSeq);
        List<Long> expected = java.util.stream.LongStream.rangeClosed(firstSeen, endSeq).boxed().toList();
        assertThat(all).as("every event exactly once, in order, across the failover").isEqualTo(expected);
        assertThat(second.named("reset")).isEmpty();

        // Isolation: a kasir of branch 1 saw nothing of branch 2, though branch 2 sold just as much.
        for (SseClient c : List.of(first, second)) {
            for (var m : c.messages) {
                if (m.id() != null) {
                    assertThat(EventCursor.parse(m.id()).orElseThrow().positions().keySet()).containsOnly(1L);
                }
                assertThat(m.data()).doesNotContain("\"branch_id\":2", "\"branchId\":2");
            }
        }
        first.close();
        second.close();
    }

    @Test
    void aKasirNeverReceivesAnotherBranchEvenWhenReplayingOrAskingForIt() throws Exception {
        String kasir1 = shop.login("kasir1", "melati-demo");
        String kasir2 = shop.login("kasir2", "melati-demo");
        long p2 = product(2, 100);
        try (SseClient asked = SseClient.open(url(nodeB, "/realtime/stock-updates?branch=2"), kasir1, null)) {
            assertThat(asked.status).isEqualTo(403);
        }
        // A forged cursor naming branch 2 gets branch 1's view only.
        long seq2 = branchSeq(2);
        try (SseClient replay = SseClient.open(url(nodeB, "/realtime/notifications"), kasir1, "1:0,2:" + seq2)) {
            sell(kasir2, p2);
            Thread.sleep(1000);
            for (var m : replay.messages) {
                assertThat(m.data()).doesNotContain("\"branchId\":2", "\"branch_id\":2");
                if (m.id() != null) {
                    assertThat(EventCursor.parse(m.id()).orElseThrow().positions().keySet()).doesNotContain(2L);
                }
            }
        }
    }

    @Test
    void malformedAndTrimmedIdsGetAResetWithASnapshot() throws Exception {
        String admin1 = shop.login("admin1", "melati-demo");
        long p1 = product(1, 100);
        sell(admin1, p1);
        await().atMost(Duration.ofSeconds(5)).until(() -> streamLength(1) > 0);
        try (SseClient bad = SseClient.open(url(nodeB, "/realtime/dashboard"), admin1, "not-an-id")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !bad.messages.isEmpty());
            assertThat(bad.messages.get(0).event()).as(bad.messages.toString()).isEqualTo("reset");
            assertThat(bad.messages.get(0).data()).contains("\"reason\":\"malformed-id\"", "\"omset\"", "\"lowStock\"");
        }
        // The stream no longer reaches back to seq 1: trimmed to its newest entry.
        RedisClient client = RedisClient.create(redis.uri());
        try (var c = client.connect()) {
            c.sync().xtrim(RedisKeys.stream(1), 1);
        } finally {
            client.shutdown();
        }
        // A node that has just started has no window yet: it must go to the (trimmed) stream.
        ConfigurableApplicationContext fresh = RealtimeCluster.node(redis.uri(), Map.of());
        try (SseClient old = SseClient.open(url(fresh, "/realtime/dashboard"), admin1, "1:1")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !old.messages.isEmpty());
            var reset = old.messages.get(0);
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(reset.data()).contains("history-trimmed");
            assertThat(EventCursor.parse(reset.id()).orElseThrow().seqOf(1).orElseThrow()).isEqualTo(branchSeq(1));
            // and it goes on live from there
            sell(admin1, p1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !old.named("sale").isEmpty());
        } finally {
            fresh.close();
        }
    }

    @Test
    void aDroppedRedisSubscriptionLosesNothing() throws Exception {
        String kasir1 = shop.login("kasir1", "melati-demo");
        long p1 = product(1, 1000);
        try (SseClient screen = SseClient.open(url(nodeB, "/realtime/stock-updates"), kasir1, null)) {
            sell(kasir1, p1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !screen.named("stock").isEmpty());
            long firstSeq = seqsOf(screen, 1).get(0);
            RedisClient client = RedisClient.create(redis.uri());
            try (var c = client.connect()) {
                for (int round = 0; round < 3; round++) {
                    c.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
                    for (int i = 0; i < 5; i++) {
                        sell(kasir1, p1);
                    }
                }
            } finally {
                client.shutdown();
            }
            long endSeq = branchSeq(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<Long> s = seqsOf(screen, 1);
                return s.get(s.size() - 1) == endSeq;
            });
            // stock-updates shows only stock events: every second seq (sale, stock, sale, stock...)
            List<Long> seqs = seqsOf(screen, 1);
            assertThat(seqs).doesNotHaveDuplicates().isSorted();
            assertThat(seqs).hasSize(16);
            assertThat(seqs.get(seqs.size() - 1) - firstSeq).isEqualTo(30);
        }
    }

    @Test
    void aProductAboutToRunOutIsAnnouncedOnTheNotificationsStream() throws Exception {
        String kasir1 = shop.login("kasir1", "melati-demo");
        long p = product(1, 20);
        for (int day = 1; day <= 28; day++) { // it sold 2 a day for four weeks
            id.optikmelati.testkit.TestShop.update("insert into stock_movement (product_id, branch_id, kind, delta,"
                    + " quantity_after, at) values (?, 1, 'SOLD', -2, 20, now() - make_interval(days => ?))", p, day);
        }
        try (SseClient screen = SseClient.open(url(nodeB, "/realtime/notifications"), kasir1, null)) {
            var r = shop.sell(kasir1, Map.of("paymentType", "UMUM", "items", List.of(Map.of("productId", p, "quantity", 6))));
            assertThat(r.status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> screen.named("notification").stream()
                    .anyMatch(m -> m.data().contains("\"kind\":\"stock_forecast\"")));
            var n = screen.named("notification").stream().filter(m -> m.data().contains("stock_forecast")).findFirst()
                    .orElseThrow();
            // "akan habis dalam 7 hari (sisa 14)", as the screen renders it from the fields
            assertThat(n.data()).contains("\"days\":7", "\"stock\":14", "\"productId\":" + p);
        }
    }

    @Test
    void theConnectionLimitHoldsAcrossTwoNodes() throws Exception {
        ConfigurableApplicationContext nodeC = RealtimeCluster.node(redis.uri(),
                Map.of("optik.realtime.connections-per-user", "3"));
        String kasir2 = shop.login("kasir2", "melati-demo");
        List<SseClient> open = new ArrayList<>();
        try {
            open.add(SseClient.open(url(nodeB, "/realtime/stock-updates"), kasir2, null));
            open.add(SseClient.open(url(nodeC, "/realtime/omset-kasir"), kasir2, null));
            open.add(SseClient.open(url(nodeB, "/realtime/notifications"), kasir2, null));
            assertThat(open).allMatch(c -> c.status == 200);
            SseClient fourth = SseClient.open(url(nodeC, "/realtime/dashboard"), kasir2, null);
            assertThat(fourth.status).isEqualTo(429);
            open.get(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                SseClient again = SseClient.open(url(nodeC, "/realtime/dashboard"), kasir2, null);
                open.add(again);
                return again.status == 200;
            });
        } finally {
            open.forEach(SseClient::close);
            nodeC.close();
        }
    }

    @Test
    void badTokensAreRefusedBeforeTheStreamStarts() throws Exception {
        for (String token : new String[] {null, "garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."}) {
            try (SseClient c = SseClient.open(url(nodeB, "/realtime/dashboard"), token, null)) {
                assertThat(c.status).isEqualTo(401);
            }
        }
    }

    @Test
    void everyRefusalIsProblemJsonOfItsOwnTypeInTheCallersLanguage() throws Exception {
        String kasir1 = shop.login("kasir1", "melati-demo");
        record Refused(String path, String token, String language, int status, String type, String title) {}
        List<Refused> cases = List.of(
                new Refused("/realtime/dashboard", null, null, 401, "unauthenticated", "Belum masuk"),
                new Refused("/realtime/dashboard", null, "en-US,en;q=0.9", 401, "unauthenticated", "Not logged in"),
                new Refused("/realtime/papan", kasir1, null, 404, "unknown-stream", "Stream tidak ditemukan"),
                new Refused("/realtime/dashboard?branch=2", kasir1, "id", 403, "other-branch", "Cabang lain"),
                new Refused("/realtime/dashboard?branch=dua", kasir1, "en", 400, "bad-branch", "Invalid branch"),
                // an Arabic-Indic one: Java would read it as branch 1
                new Refused("/realtime/dashboard?branch=%D9%A1", kasir1, "en", 400, "bad-branch", "Invalid branch"));
        HttpClient http = HttpClient.newHttpClient();
        for (Refused c : cases) {
            var request = HttpRequest.newBuilder(URI.create(url(nodeB, c.path())));
            if (c.token() != null) {
                request.header("Authorization", "Bearer " + c.token());
            }
            if (c.language() != null) {
                request.header("Accept-Language", c.language());
            }
            var r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(c.toString()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            var problem = EventCodec.mapper().readTree(r.body());
            assertThat(problem.get("type").asString()).isEqualTo("https://optikmelati.id/problems/" + c.type());
            assertThat(problem.get("title").asString()).as(c.toString()).isEqualTo(c.title());
            assertThat(problem.get("status").asInt()).isEqualTo(c.status());
            assertThat(problem.get("detail").asString()).isNotBlank();
        }
    }

    @Test
    void aPageOfAnAllowedOriginGetsItsStreamWithCorsHeadersAndAnotherOriginIsRefused() throws Exception {
        String kasir1 = shop.login("kasir1", "melati-demo");
        HttpClient http = HttpClient.newHttpClient();
        var allowed = http.send(HttpRequest.newBuilder(URI.create(url(nodeB, "/realtime/stock-updates")))
                .header("Authorization", "Bearer " + kasir1).header("Origin", "http://localhost:8080").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var body = allowed.body()) {
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:8080");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
            assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).contains("Retry-After");
        }
        var foreign = http.send(HttpRequest.newBuilder(URI.create(url(nodeB, "/realtime/stock-updates")))
                .header("Authorization", "Bearer " + kasir1).header("Origin", "https://evil.example")
                .header("Accept-Language", "en").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        var problem = EventCodec.mapper().readTree(foreign.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://optikmelati.id/problems/foreign-origin");
        assertThat(problem.get("detail").asString()).contains("https://evil.example");
    }

    private static long streamLength(long branch) {
        RedisClient client = RedisClient.create(redis.uri());
        try (var c = client.connect()) {
            return c.sync().xlen(RedisKeys.stream(branch));
        } finally {
            client.shutdown();
        }
    }
}
