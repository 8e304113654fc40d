package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ProductType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Stock moving between branches and arriving from suppliers: counted once, never negative, live on both sides. */
class TransferTest extends ApiTestBase {

    private Map<String, Object> transfer(long from, Long to, long product, int quantity) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("fromBranchId", from);
        if (to != null) {
            body.put("toBranchId", to);
        }
        body.put("items", List.of(Map.of("productId", product, "quantity", quantity)));
        return body;
    }

    private Map<Long, Integer> inTransit(String token) {
        var r = api().get("/api/transfers/in-transit", token);
        assertThat(r.status()).isEqualTo(200);
        Map<Long, Integer> out = new java.util.HashMap<>();
        r.body().valueStream().forEach(n -> out.put(n.get("productId").asLong(), n.get("quantity").asInt()));
        return out;
    }

    private long events(String type, long branch) {
        return count("select count(*) from outbox_event where type = ? and branch_id = ?", type, branch);
    }

    @Test
    void aTransferGoesThroughEveryStateWithStockCountedOnceAndAShortfallKept() {
        long product = newProduct(ProductType.FRAME, 400_000, Map.of(2L, 20));
        String admin1 = token("admin1");
        String admin2 = token("admin2");
        long transfers1 = events("transfer.changed", 1);
        long transfers2 = events("transfer.changed", 2);

        var requested = api().post("/api/transfers", admin1, transfer(2, null, product, 8));
        assertThat(requested.status()).isEqualTo(201);
        JsonNode t = requested.body();
        long id = t.get("id").asLong();
        assertThat(t.get("status").asString()).isEqualTo("REQUESTED");
        assertThat(t.get("toBranchId").asLong()).as("an admin asks for their own branch").isEqualTo(1);
        assertThat(t.get("transferNo").asString()).matches("TRF-1-\\d{8}-\\d{3}");
        assertThat(stockOf(product, 2)).isEqualTo(20);
        assertThat(stockOf(product, 1)).isZero();

        var sent = api().post("/api/transfers/" + id + "/send", admin2, null);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().get("status").asString()).isEqualTo("SENT");
        assertThat(stockOf(product, 2)).as("left the sender").isEqualTo(12);
        assertThat(stockOf(product, 1)).as("in transit: in neither branch").isZero();
        assertThat(inTransit(admin1)).containsEntry(product, 8);
        assertThat(inTransit(admin2)).as("nothing on its way to the sender").doesNotContainKey(product);

        var received = api().post("/api/transfers/" + id + "/receive", admin1,
                Map.of("items", List.of(Map.of("productId", product, "quantity", 7))));
        assertThat(received.status()).isEqualTo(200);
        JsonNode line = received.body().get("items").get(0);
        assertThat(line.get("quantity").asInt()).isEqualTo(8);
        assertThat(line.get("received").asInt()).as("the shortfall stays on the line").isEqualTo(7);
        assertThat(stockOf(product, 1)).isEqualTo(7);
        assertThat(stockOf(product, 2)).isEqualTo(12);
        assertThat(inTransit(admin1)).doesNotContainKey(product);

        String no = t.get("transferNo").asString();
        assertThat(count("select count(*) from stock_movement where product_id = ? and kind = 'TRANSFERRED_OUT'"
                + " and branch_id = 2 and delta = -8 and reference = ?", product, no)).isEqualTo(1);
        assertThat(count("select count(*) from stock_movement where product_id = ? and kind = 'TRANSFERRED_IN'"
                + " and branch_id = 1 and delta = 7 and reference = ?", product, no)).isEqualTo(1);
        assertThat(events("transfer.changed", 1) - transfers1).as("each step on both branches' streams").isEqualTo(3);
        assertThat(events("transfer.changed", 2) - transfers2).isEqualTo(3);

        // done is done
        var cancel = api().post("/api/transfers/" + id + "/cancel", admin1, null);
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.body().get("detail").asString()).as("statuses in words")
                .isEqualTo("Transfer " + no + " berstatus Diterima dan tidak dapat diubah menjadi Dibatalkan.");
        assertThat(api().post("/api/transfers/" + id + "/send", admin2, null).status()).isEqualTo(409);
        assertThat(stockOf(product, 2)).isEqualTo(12);
    }

    @Test
    void aCancelAfterSendingReturnsTheStockAndBeforeSendingMovesNone() {
        long product = newProduct(ProductType.LENS, 150_000, Map.of(2L, 10));
        String admin1 = token("admin1");
        String admin2 = token("admin2");
        long first = api().post("/api/transfers", admin1, transfer(2, null, product, 4)).body().get("id").asLong();
        assertThat(api().post("/api/transfers/" + first + "/receive", admin1, null).status())
                .as("nothing to receive before it is sent").isEqualTo(409);
        assertThat(api().post("/api/transfers/" + first + "/cancel", admin2, null).status()).isEqualTo(200);
        assertThat(stockOf(product, 2)).isEqualTo(10);

        long second = api().post("/api/transfers", admin1, transfer(2, null, product, 6)).body().get("id").asLong();
        api().post("/api/transfers/" + second + "/send", admin2, null);
        assertThat(stockOf(product, 2)).isEqualTo(4);
        var cancelled = api().post("/api/transfers/" + second + "/cancel", admin1, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(stockOf(product, 2)).as("back with the sender").isEqualTo(10);
        assertThat(stockOf(product, 1)).isZero();
        assertThat(api().post("/api/transfers/" + second + "/receive", admin1, null).status()).isEqualTo(409);
    }

    @Test
    void onlyTheAdminsOfEachSideMoveATransferAndAKasirMovesNone() {
        long product = newProduct(ProductType.ACCESSORY, 30_000, Map.of(2L, 10));
        String admin1 = token("admin1");
        String admin2 = token("admin2");
        assertThat(api().post("/api/transfers", token("kasir1"), transfer(2, null, product, 1)).status()).isEqualTo(403);
        assertThat(api().post("/api/transfers", admin1, transfer(2, 3L, product, 1)).status())
                .as("for another branch").isEqualTo(403);
        assertThat(api().post("/api/transfers", admin1, transfer(1, null, product, 1)).status())
                .as("from itself").isEqualTo(400);
        long id = api().post("/api/transfers", admin1, transfer(2, null, product, 2)).body().get("id").asLong();
        assertThat(api().post("/api/transfers/" + id + "/send", admin1, null).status())
                .as("the asking branch cannot send the sender's stock").isEqualTo(403);
        assertThat(api().post("/api/transfers/" + id + "/send", token("kasir2"), null).status()).isEqualTo(403);
        assertThat(api().get("/api/transfers/" + id, token("kasir3")).status())
                .as("a third branch does not see it").isEqualTo(404);
        assertThat(api().get("/api/transfers/" + id, token("kasir2")).status()).isEqualTo(200);
        assertThat(api().post("/api/transfers/" + id + "/send", token("superadmin"), null).status()).isEqualTo(200);
        assertThat(api().post("/api/transfers/" + id + "/receive", admin2, null).status())
                .as("the sender cannot book the arrival").isEqualTo(403);
        assertThat(api().post("/api/transfers/" + id + "/receive", admin1, null).status()).isEqualTo(200);
        assertThat(stockOf(product, 1)).as("nothing named: all arrived").isEqualTo(2);
        assertThat(stockOf(product, 2)).isEqualTo(8);
        var listed = api().get("/api/transfers", admin2);
        assertThat(listed.body().valueStream().map(n -> n.get("id").asLong())).contains(id);
    }

    @Test
    void sendingAndSellingTheLastUnitsAtOnceNeverTakesMoreThanThereIs() throws Exception {
        long product = newProduct(ProductType.FRAME, 250_000, Map.of(2L, 5));
        String admin1 = token("admin1");
        String admin2 = token("admin2");
        String kasir2 = token("kasir2");
        long id = api().post("/api/transfers", admin1, transfer(2, null, product, 3)).body().get("id").asLong();
        var pool = Executors.newFixedThreadPool(6);
        List<Callable<Integer>> work = new ArrayList<>();
        work.add(() -> api().post("/api/transfers/" + id + "/send", admin2, null).status());
        for (int i = 0; i < 5; i++) {
            work.add(() -> api().sell(kasir2, sale(null, "UMUM", product, 1)).status());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(work)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        int sentUnits = statuses.get(0) == 200 ? 3 : 0;
        long sold = statuses.subList(1, statuses.size()).stream().filter(s -> s == 201).count();
        assertThat(statuses.get(0)).isIn(200, 409);
        assertThat(sold + sentUnits).as("units that left the branch").isLessThanOrEqualTo(5);
        assertThat(stockOf(product, 2)).isEqualTo(5 - sentUnits - (int) sold).isGreaterThanOrEqualTo(0);
        assertThat(statuses.subList(1, statuses.size())).allMatch(s -> s == 201 || s == 409);
    }

    @Test
    void aBranchShortOfAProductIsPointedToTheBranchWithTheMostAboveItsMediumLevel() {
        long product = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 3, 2L, 14, 3L, 25));
        String admin1 = token("admin1");
        var s = api().get("/api/transfers/suggestion?productId=" + product, admin1);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.body().get("fromBranchId").asLong()).isEqualTo(3);
        assertThat(s.body().get("available").asInt()).isEqualTo(25);
        assertThat(s.body().get("quantity").asInt()).as("enough to lift 3 out of medium (over 10)").isEqualTo(8);

        long scarce = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 2, 2L, 12, 3L, 10));
        var few = api().get("/api/transfers/suggestion?productId=" + scarce, admin1);
        assertThat(few.body().get("fromBranchId").asLong()).isEqualTo(2);
        assertThat(few.body().get("quantity").asInt()).as("only what branch 2 has above 10").isEqualTo(2);

        long nowhere = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 1, 2L, 10, 3L, 4));
        assertThat(api().get("/api/transfers/suggestion?productId=" + nowhere, admin1).status()).isEqualTo(204);
        assertThat(api().get("/api/transfers/suggestion?productId=" + product, token("kasir1")).status()).isEqualTo(403);
    }

    @Test
    void aDeliveryRaisesStockOnceWithItsNoteAndABookedNoteIsRefused() {
        long frame = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 2));
        long lens = newProduct(ProductType.LENS, 150_000, Map.of(1L, 0));
        String admin1 = token("admin1");
        String reference = "SJ-" + System.nanoTime();
        Map<String, Object> delivery = Map.of("supplier", "PT Lensa Jaya", "reference", reference,
                "items", List.of(Map.of("productId", frame, "quantity", 10), Map.of("productId", lens, "quantity", 24)));
        long stockEvents = events("stock.changed", 1);
        var booked = api().post("/api/deliveries", admin1, delivery);
        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.body().get("branchId").asLong()).isEqualTo(1);
        assertThat(stockOf(frame, 1)).isEqualTo(12);
        assertThat(stockOf(lens, 1)).isEqualTo(24);
        assertThat(events("stock.changed", 1) - stockEvents).as("one event for the whole delivery").isEqualTo(1);
        assertThat(count("select count(*) from outbox_event where type = 'stock.changed' and branch_id = 1"
                + " and payload->>'reason' = 'restock' and payload->>'reference' = ?", reference)).isEqualTo(1);
        assertThat(count("select count(*) from stock_movement where reference = ? and kind = 'RESTOCKED'", reference))
                .isEqualTo(2);

        var again = api().post("/api/deliveries", admin1, delivery);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("type").asString()).endsWith("/delivery-booked");
        assertThat(stockOf(frame, 1)).isEqualTo(12);

        assertThat(api().post("/api/deliveries", token("kasir1"), Map.of("supplier", "X", "reference", "Y",
                "items", List.of(Map.of("productId", frame, "quantity", 1)))).status()).isEqualTo(403);
        var unknown = api().post("/api/deliveries", admin1, Map.of("supplier", "X", "reference", "Z" + reference,
                "items", List.of(Map.of("productId", frame, "quantity", 1), Map.of("productId", 999_999_999, "quantity", 1))));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(stockOf(frame, 1)).as("nothing of a refused delivery").isEqualTo(12);
        assertThat(count("select count(*) from delivery where reference = ?", "Z" + reference)).isZero();
    }

    @Test
    void aTransferShowsInBothBranchesStockMovementAndIsDemandOfNeither() {
        long product = newProduct(ProductType.LENS, 120_000, Map.of(2L, 20));
        String admin1 = token("admin1");
        String admin2 = token("admin2");
        String superadmin = token("superadmin");
        long id = api().post("/api/transfers", admin1, transfer(2, null, product, 5)).body().get("id").asLong();
        assertThat(api().post("/api/transfers/" + id + "/send", admin2, null).status()).isEqualTo(200);
        assertThat(api().post("/api/transfers/" + id + "/receive", admin1, null).status()).isEqualTo(200);

        JsonNode out = line(api().get("/api/reports/stock-movement?branchId=2", superadmin).body(), product);
        JsonNode in = line(api().get("/api/reports/stock-movement?branchId=1", superadmin).body(), product);
        assertThat(out.get("transferredOut").asLong()).isEqualTo(5);
        assertThat(out.get("sold").asLong()).isZero();
        assertThat(in.get("transferredIn").asLong()).isEqualTo(5);
        for (long branch : List.of(1L, 2L)) {
            JsonNode forecast = line(api().get("/api/reports/forecast?branchId=" + branch, superadmin).body(), product);
            assertThat(forecast.get("dailyRate").asDouble()).as("branch " + branch).isZero();
        }
    }

    private static JsonNode line(JsonNode report, long product) {
        return report.get("products").valueStream().filter(n -> n.get("productId").asLong() == product).findFirst()
                .orElseThrow(() -> new AssertionError("product " + product + " not in " + report));
    }
}
