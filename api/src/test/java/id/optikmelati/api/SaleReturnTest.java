package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.ProductType;
import id.optikmelati.testkit.ApiClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Voids and returns: stock comes back, the omset of the day they happen goes down, the sale is
 * marked, and nothing is returned twice, not even by two admins at once.
 */
class SaleReturnTest extends ApiTestBase {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

    /** A sale in branch 1 of {@code quantity} units at {@code price}, paid {@code payment}. */
    private JsonNode sold(long product, int quantity, String payment) {
        var r = api().sell(token("kasir1"), sale(null, payment, product, quantity));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.body();
    }

    private JsonNode omsetToday() {
        return api().get("/api/omset", token("admin1")).body();
    }

    private static Map<String, Object> returning(String reason, long product, int quantity) {
        return Map.of("reason", reason, "items", List.of(Map.of("productId", product, "quantity", quantity)));
    }

    @Test
    void aVoidBringsTheStockBackTakesTheOmsetDownAndMarksTheSale() {
        long product = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 10));
        JsonNode before = omsetToday();
        JsonNode sale = sold(product, 2, "BPJS");
        JsonNode after = omsetToday();
        assertThat(after.get("bpjs").asLong() - before.get("bpjs").asLong()).isEqualTo(800_000);

        var voided = api().postOnce("/api/sales/" + sale.get("id").asLong() + "/void", token("admin1"),
                Map.of("reason", "salah input"));

        assertThat(voided.status()).as(voided.raw().body()).isEqualTo(201);
        assertThat(voided.body().get("status").asString()).isEqualTo("VOIDED");
        assertThat(voided.body().get("voidReason").asString()).isEqualTo("salah input");
        assertThat(voided.body().get("netTotal").asLong()).isZero();
        assertThat(stockOf(product, 1)).isEqualTo(10);
        JsonNode now = omsetToday();
        assertThat(now.get("total").asLong()).isEqualTo(before.get("total").asLong());
        assertThat(now.get("bpjs").asLong()).isEqualTo(before.get("bpjs").asLong());
        assertThat(now.get("transactions").asLong()).as("a receipt was issued; the void is a line of its own")
                .isEqualTo(after.get("transactions").asLong());
        JsonNode event = EventCodec.mapper().readTree(jdbc.sql("select payload::text from outbox_event"
                + " where type = 'sale.returned' order by id desc limit 1").query(String.class).single());
        assertThat(event.get("kind").asString()).isEqualTo("VOID");
        assertThat(event.get("amount").asLong()).isEqualTo(800_000);
        assertThat(event.get("omset").get("bpjs").asLong()).isEqualTo(now.get("bpjs").asLong());
        assertThat(count("select count(*) from stock_movement where product_id = ? and kind = 'RETURNED'", product))
                .isEqualTo(1);

        var again = api().postOnce("/api/sales/" + sale.get("id").asLong() + "/void", token("admin1"),
                Map.of("reason", "lagi"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("type").asString()).endsWith("/sale-voided");
    }

    @Test
    void returnsTakeBackAtMostWhatIsLeftAndTheLastOneVoidsTheSale() {
        long product = newProduct(ProductType.LENS, 150_000, Map.of(1L, 10));
        long sale = sold(product, 3, "UMUM").get("id").asLong();
        String admin = token("admin1");

        var one = api().postOnce("/api/sales/" + sale + "/returns", admin, returning("tergores", product, 1));
        var tooMany = api().postOnce("/api/sales/" + sale + "/returns", admin, returning("lebih", product, 3));
        var rest = api().postOnce("/api/sales/" + sale + "/returns", admin, returning("tidak cocok", product, 2));

        assertThat(one.status()).isEqualTo(201);
        assertThat(one.body().get("status").asString()).isEqualTo("PARTLY_RETURNED");
        assertThat(one.body().get("items").get(0).get("returnedQuantity").asInt()).isEqualTo(1);
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.body().get("returnable").asInt()).isEqualTo(2);
        assertThat(rest.status()).isEqualTo(201);
        assertThat(rest.body().get("status").asString()).isEqualTo("VOIDED");
        assertThat(rest.body().get("returns")).hasSize(2);
        assertThat(stockOf(product, 1)).isEqualTo(10);
    }

    @Test
    void aRetryWithTheSameKeyReturnsOnceAndTheKeyCannotBeReusedForAnotherReturn() {
        long product = newProduct(ProductType.ACCESSORY, 20_000, Map.of(1L, 10));
        long sale = sold(product, 4, "UMUM").get("id").asLong();
        String admin = token("admin1");
        Map<String, String> key = Map.of("Idempotency-Key", "retur-" + sale);
        String body = EventCodec.toJson(returning("rusak", product, 1));

        var first = api().postRaw("/api/sales/" + sale + "/returns", admin, body, key);
        var retry = api().postRaw("/api/sales/" + sale + "/returns", admin, body, key);
        var other = api().postRaw("/api/sales/" + sale + "/returns", admin,
                EventCodec.toJson(returning("rusak", product, 2)), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.status()).isEqualTo(422);
        assertThat(stockOf(product, 1)).isEqualTo(7);
        assertThat(count("select count(*) from sale_return where sale_id = ?", sale)).isEqualTo(1);
        assertThat(api().postRaw("/api/sales/" + sale + "/returns", admin, body, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void twoAdminsReturningTheLastUnitAtOnceReturnItOnce() throws Exception {
        long product = newProduct(ProductType.FRAME, 500_000, Map.of(1L, 5));
        long sale = sold(product, 1, "UMUM").get("id").asLong();
        List<String> admins = List.of(token("admin1"), token("superadmin"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> results = new ArrayList<>();
        for (String admin : admins) {
            results.add(pool.submit(() -> {
                start.await();
                return api().postOnce("/api/sales/" + sale + "/returns", admin, returning("dobel", product, 1));
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (var f : results) {
            statuses.add(f.get().status());
        }
        pool.shutdown();

        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        assertThat(stockOf(product, 1)).isEqualTo(5);
        assertThat(count("select returned_quantity from sale_item where sale_id = ?", sale)).isEqualTo(1);
    }

    @Test
    void aReturnOnALaterDayIsANegativeLineOnThatDayNotAChangeToTheDayOfTheSale() {
        long product = newProduct(ProductType.FRAME, 700_000, Map.of(1L, 5));
        long sale = sold(product, 1, "UMUM").get("id").asLong();
        LocalDate today = LocalDate.now(JAKARTA);
        LocalDate yesterday = today.minusDays(1);
        jdbc.sql("update sale set business_date = :d where id = :id").param("d", yesterday).param("id", sale).update();
        long yesterdayBefore = api().get("/api/omset?date=" + yesterday, token("admin1")).body().get("total").asLong();
        long todayBefore = omsetToday().get("total").asLong();

        assertThat(api().postOnce("/api/sales/" + sale + "/void", token("admin1"), Map.of("reason", "retur besok"))
                .status()).isEqualTo(201);

        assertThat(api().get("/api/omset?date=" + yesterday, token("admin1")).body().get("total").asLong())
                .isEqualTo(yesterdayBefore);
        assertThat(omsetToday().get("total").asLong()).isEqualTo(todayBefore - 700_000);
        assertThat(count("select count(*) from sale_return where sale_id = ? and business_date = ?", sale, today))
                .isEqualTo(1);
    }

    @Test
    void onlyAdminsOfTheSalesBranchVoidOrReturnAndTheDetailStaysInTheBranch() {
        long product = newProduct(ProductType.FRAME, 300_000, Map.of(1L, 5));
        long sale = sold(product, 1, "UMUM").get("id").asLong();

        var byKasir = api().postOnce("/api/sales/" + sale + "/void", token("kasir1"), Map.of("reason", "x"));
        var byOtherAdmin = api().postOnce("/api/sales/" + sale + "/void", token("admin2"), Map.of("reason", "x"));
        var notInSale = api().postOnce("/api/sales/" + sale + "/returns", token("admin1"), returning("x", product + 999, 1));
        var noReason = api().postOnce("/api/sales/" + sale + "/void", token("admin1"), Map.of("reason", " "));
        var unknown = api().postOnce("/api/sales/999999999/void", token("admin1"), Map.of("reason", "x"));

        assertThat(byKasir.status()).isEqualTo(403);
        assertThat(byOtherAdmin.status()).isEqualTo(403);
        assertThat(notInSale.status()).isEqualTo(422);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(stockOf(product, 1)).isEqualTo(4);

        var detail = api().get("/api/sales/" + sale, token("kasir1"));
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body().get("items").get(0).get("kode").asString()).isNotBlank();
        assertThat(detail.body().get("cashier").asString()).isEqualTo("kasir1");
        assertThat(api().get("/api/sales/" + sale, token("kasir2")).status()).isEqualTo(403);
        assertThat(api().get("/penjualan/" + sale + "/struk", token("kasir2")).status()).isEqualTo(403);
    }

    @Test
    void aReceiptHasTheShopTheInvoiceTheLinesAndTheTotalAndSaysWhenItWasVoided() {
        long product = newProduct(ProductType.LENS, 1_250_000, Map.of(1L, 5));
        JsonNode sale = sold(product, 1, "BPJS");
        long id = sale.get("id").asLong();

        var receipt = api().get("/penjualan/" + id + "/struk?kertas=58", token("kasir1"), Map.of("Accept", "text/html"));
        assertThat(receipt.status()).isEqualTo(200);
        assertThat(receipt.raw().body()).contains("Optik Melati", sale.get("invoiceNo").asString(), "Rp 1.250.000",
                "BPJS", "paper-58").doesNotContain("BATAL");

        api().postOnce("/api/sales/" + id + "/void", token("admin1"), Map.of("reason", "batal beli"));
        var voided = api().get("/penjualan/" + id + "/struk", token("kasir1"), Map.of("Accept", "text/html"));
        assertThat(voided.raw().body()).contains("BATAL", "batal beli", "paper-80");
    }
}
