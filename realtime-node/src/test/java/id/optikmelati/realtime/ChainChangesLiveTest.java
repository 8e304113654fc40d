package id.optikmelati.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.SseClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The chain's own changes, live, through the real API and two realtime nodes: a new price reaches
 * every branch's stock screens, a void reaches the admins' dashboards and the stock lists, and a
 * deactivated user's streams end on every node.
 */
class ChainChangesLiveTest {

    static RedisProcess redis;
    static NodeProcess api;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;
    static ApiClient shop;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        api = RealtimeCluster.api(redis.uri());
        nodeA = RealtimeCluster.node(redis.uri(), Map.of());
        nodeB = RealtimeCluster.node(redis.uri(), Map.of());
        shop = RealtimeCluster.client(api);
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        api.close();
        redis.stop();
    }

    private static JsonNode data(SseClient.Message m) {
        return EventCodec.mapper().readTree(m.data());
    }

    @Test
    void aNodesHealthShowsItsRedisAsAComponent() throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(RealtimeCluster.managementUrl(nodeA, "/actuator/health"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode health = EventCodec.mapper().readTree(r.body());
        assertThat(health.get("components").get("redis").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("redis").has("details")).isFalse();
    }

    @Test
    void aNodesPublicPortHasTheProbesAndNoActuator() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, Integer> status = url -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(status.apply(RealtimeCluster.url(nodeA, "/readyz"))).isEqualTo(200);
        assertThat(status.apply(RealtimeCluster.url(nodeA, "/livez"))).isEqualTo(200);
        assertThat(status.apply(RealtimeCluster.url(nodeA, "/actuator/prometheus"))).isEqualTo(404);
        assertThat(status.apply(RealtimeCluster.url(nodeA, "/actuator/health"))).isEqualTo(404);
        assertThat(status.apply(RealtimeCluster.managementUrl(nodeA, "/actuator/prometheus"))).isEqualTo(200);
    }

    @Test
    void anOrderFallsOverdueLiveOnItsBranchsScreensWhenItsPromisedDatePasses() throws Exception {
        String kasir1 = shop.login("kasir1", "melati-demo");
        long frame = RealtimeCluster.product(1, 5);
        var made = shop.orderGlasses(kasir1, null, "Ibu Wati", frame);
        assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
        long order = made.body().get("id").asLong();
        try (SseClient branch1 = SseClient.open(RealtimeCluster.url(nodeA, "/realtime/dashboard"), kasir1, null);
                SseClient branch2 = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/dashboard"),
                        shop.login("kasir2", "melati-demo"), null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !branch1.comments.isEmpty() && !branch2.comments.isEmpty());
            // four days pass for this order: its promised date (three days ahead) is now yesterday
            id.optikmelati.testkit.TestShop.update(
                    "update customer_order set promised_date = promised_date - 4, created_at = created_at - interval '4 days' where id = ?",
                    order);
            await().atMost(Duration.ofSeconds(10)).until(() -> branch1.named("order").stream()
                    .anyMatch(m -> data(m).get("orderId").asLong() == order && data(m).get("overdue").asBoolean()));
            JsonNode overdue = data(branch1.named("order").get(branch1.named("order").size() - 1));
            assertThat(overdue.get("status").asString()).isEqualTo("ORDERED");
            assertThat(overdue.get("overdueOrders").asInt()).isPositive();
            assertThat(branch2.named("order")).as("another branch's customer").noneMatch(m ->
                    data(m).get("orderId").asLong() == order);
        }
    }

    @Test
    void aDeliveryReachesTheStockListsOfItsBranch() throws Exception {
        String admin1 = shop.login("admin1", "melati-demo");
        long lens = RealtimeCluster.product(1, 2);
        try (SseClient stock = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/stock-updates"),
                shop.login("kasir1", "melati-demo"), null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !stock.comments.isEmpty());
            var delivered = shop.post("/api/deliveries", admin1, Map.of("supplier", "PT Lensa Jaya",
                    "reference", "SJ-2026-118", "items", List.of(Map.of("productId", lens, "quantity", 10))));
            assertThat(delivered.status()).as(delivered.raw().body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(5)).until(() -> stock.named("stock").stream()
                    .anyMatch(m -> m.data().contains("SJ-2026-118")));
            JsonNode change = data(stock.named("stock").stream().filter(m -> m.data().contains("SJ-2026-118"))
                    .findFirst().orElseThrow());
            assertThat(change.get("reason").asString()).isEqualTo("restock");
            assertThat(change.toString()).contains("\"new_stock\":12");
        }
    }

    @Test
    void aNewPriceReachesTheStockScreensOfEveryBranch() throws Exception {
        String admin = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 10);
        var current = shop.get("/api/products/" + product, admin).body();
        try (SseClient branch1 = SseClient.open(RealtimeCluster.url(nodeA, "/realtime/stock-updates"),
                shop.login("kasir1", "melati-demo"), null);
                SseClient branch2 = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/stock-updates"),
                        shop.login("kasir2", "melati-demo"), null)) {
            Map<String, Object> edit = new LinkedHashMap<>();
            edit.put("name", current.get("name").asString());
            edit.put("type", "FRAME");
            edit.put("price", 199_000);
            edit.put("version", current.get("version").asLong());
            var saved = shop.put("/api/products/" + product, admin, edit, Map.of());
            assertThat(saved.status()).as(saved.raw().body()).isEqualTo(200);

            for (SseClient screen : List.of(branch1, branch2)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> screen.named("product").stream()
                        .anyMatch(m -> data(m).get("productId").asLong() == product));
                JsonNode changed = data(screen.named("product").get(screen.named("product").size() - 1));
                assertThat(changed.get("price").asLong()).isEqualTo(199_000);
                assertThat(changed.get("previousPrice").asLong()).isEqualTo(250_000);
            }
        }
    }

    @Test
    void aVoidReachesTheAdminsDashboardWithTheNewOmsetAndTheStockListWithTheUnitsBack() throws Exception {
        String kasir = shop.login("kasir1", "melati-demo");
        String admin = shop.login("admin1", "melati-demo");
        long product = RealtimeCluster.product(1, 10);
        var sale = shop.sell(kasir, Map.of("paymentType", "UMUM", "items", List.of(Map.of("productId", product,
                "quantity", 2))));
        assertThat(sale.status()).isEqualTo(201);
        try (SseClient dashboard = SseClient.open(RealtimeCluster.url(nodeA, "/realtime/dashboard"),
                shop.login("superadmin", "melati-demo"), null);
                SseClient stock = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/stock-updates"), kasir, null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !dashboard.named("omset").isEmpty());
            long before = shop.get("/api/omset?branchId=1", admin).body().get("total").asLong();

            var voided = shop.postOnce("/api/sales/" + sale.body().get("id").asLong() + "/void", admin,
                    Map.of("reason", "salah produk"));
            assertThat(voided.status()).as(voided.raw().body()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(5)).until(() -> !dashboard.named("sale-return").isEmpty());
            JsonNode r = data(dashboard.named("sale-return").get(0));
            assertThat(r.get("saleReturn").get("status").asString()).isEqualTo("VOIDED");
            assertThat(r.get("omset").get("total").asLong()).isEqualTo(before - 500_000);
            assertThat(r.get("notification").get("kind").asString()).isEqualTo("sale_returned");
            await().atMost(Duration.ofSeconds(5)).until(() -> stock.named("stock").stream()
                    .anyMatch(m -> m.data().contains("\"product_id\":" + product) && m.data().contains("\"new_stock\":10")
                            && m.data().contains("\"reason\":\"return\"")));
        }
    }

    @Test
    void aDeactivatedUsersStreamsEndWithinFiveSecondsOnEveryNodeAndTheirTokenIsRefused() throws Exception {
        String admin = shop.login("admin1", "melati-demo");
        String username = "layar-" + System.nanoTime() % 1_000_000;
        var created = shop.post("/api/users", admin, Map.of("username", username, "role", "KASIR",
                "password", "kacamata-bening-77"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String first = shop.login(username, "kacamata-bening-77");
        assertThat(shop.post("/api/auth/password", first, Map.of("currentPassword", "kacamata-bening-77",
                "newPassword", "lensa-baru-untuk-layar")).status()).isEqualTo(204);
        String token = shop.login(username, "lensa-baru-untuk-layar");
        try (SseClient onA = SseClient.open(RealtimeCluster.url(nodeA, "/realtime/dashboard"), token, null);
                SseClient onB = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/stock-updates"), token, null)) {
            assertThat(onA.status).isEqualTo(200);
            assertThat(onB.status).isEqualTo(200);

            assertThat(shop.post("/api/users/" + created.body().get("id").asLong() + "/deactivate", admin, null)
                    .status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> onA.ended() && onB.ended());
            assertThat(onA.named("token-expired")).hasSize(1);
            assertThat(onB.named("token-expired")).hasSize(1);
        }
        try (SseClient again = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/dashboard"), token, null)) {
            assertThat(again.status).isEqualTo(401);
        }
        assertThat(nodeA.getBean(MeterRegistry.class)
                .counter("optik.realtime.disconnects", "reason", "revoked").count()).isEqualTo(1);
    }

    @Test
    void aLogoutEndsThatSessionsStreamsOnEveryNodeAndNotTheUsersOtherSessions() throws Exception {
        String loggedOut = shop.login("kasir2", "melati-demo");
        String otherDevice = shop.login("kasir2", "melati-demo");
        try (SseClient onA = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/dashboard"), loggedOut, null);
                SseClient onB = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/notifications"), loggedOut, null);
                SseClient other = SseClient.open(RealtimeCluster.url(nodeB, "/realtime/dashboard"), otherDevice, null)) {
            assertThat(List.of(onA.status, onB.status, other.status)).containsOnly(200);
            assertThat(shop.post("/api/auth/logout", loggedOut, null).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() -> onA.ended() && onB.ended());
            assertThat(onA.named("token-expired")).hasSize(1);
            Thread.sleep(2500); // a revocation round later, the other session's stream is still open
            assertThat(other.ended()).isFalse();
        }
        try (SseClient again = SseClient.open(RealtimeCluster.url(nodeA, "/realtime/dashboard"), loggedOut, null)) {
            assertThat(again.status).isEqualTo(401);
        }
    }
}
