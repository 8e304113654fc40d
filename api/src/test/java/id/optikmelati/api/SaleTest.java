package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ProductType;
import id.optikmelati.testkit.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SaleTest extends ApiTestBase {

    @Test
    void twentyCashiersRaceForTheLastFiveUnits() throws Exception {
        long product = newProduct(ProductType.FRAME, 500_000, Map.of(1L, 5));
        String token = token("kasir1");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return api().sell(token, sale(null, "UMUM", product, 1)).status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(15);
        assertThat(stockOf(product, 1)).isZero();
        assertThat(count("select count(*) from sale_item where product_id = ?", product)).isEqualTo(5);
    }

    @Test
    void aRetryWithTheSameKeySellsOnce() {
        long product = newProduct(ProductType.LENS, 300_000, Map.of(1L, 10));
        String token = token("kasir1");
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + product);
        String body = id.optikmelati.contract.EventCodec.toJson(sale(null, "BPJS", product, 2));

        var first = api().postRaw("/api/sales", token, body, key);
        var again = api().postRaw("/api/sales", token, body, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
        assertThat(again.body().get("invoiceNo").asString()).isEqualTo(first.body().get("invoiceNo").asString());
        assertThat(stockOf(product, 1)).isEqualTo(8);
        assertThat(count("select count(*) from sale_item where product_id = ?", product)).isEqualTo(1);

        // The same key for a different sale is refused, and changes nothing.
        var other = api().postRaw("/api/sales", token,
                id.optikmelati.contract.EventCodec.toJson(sale(null, "BPJS", product, 3)), key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(stockOf(product, 1)).isEqualTo(8);
    }

    @Test
    void concurrentRetriesWithOneKeySellOnce() throws Exception {
        long product = newProduct(ProductType.ACCESSORY, 25_000, Map.of(1L, 50));
        String token = token("kasir1");
        Map<String, String> key = Map.of("Idempotency-Key", "storm-" + product);
        String body = id.optikmelati.contract.EventCodec.toJson(sale(null, "UMUM", product, 1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return api().postRaw("/api/sales", token, body, key);
            }));
        }
        start.countDown();
        List<Long> ids = new ArrayList<>();
        for (var f : results) {
            var r = f.get();
            assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
            ids.add(r.body().get("id").asLong());
        }
        pool.shutdown();
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(stockOf(product, 1)).isEqualTo(49);
    }

    @Test
    void aSaleWithOneUnavailableItemWritesNothing() {
        long plenty = newProduct(ProductType.FRAME, 400_000, Map.of(1L, 10));
        long none = newProduct(ProductType.LENS, 200_000, Map.of(1L, 0));
        long salesBefore = count("select count(*) from sale");
        long outboxBefore = count("select count(*) from outbox_event");
        long seqBefore = count("select event_seq from branch where id = 1");

        var r = api().sell(token("kasir1"), Map.of("paymentType", "UMUM", "items", List.of(
                Map.of("productId", plenty, "quantity", 1), Map.of("productId", none, "quantity", 1))));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("detail").asString()).contains("Produk Uji");
        assertThat(r.body().get("products")).hasSize(1);
        assertThat(r.body().get("products").get(0).get("productId").asLong()).isEqualTo(none);
        assertThat(stockOf(plenty, 1)).isEqualTo(10);
        assertThat(count("select count(*) from sale")).isEqualTo(salesBefore);
        assertThat(count("select count(*) from outbox_event")).isEqualTo(outboxBefore);
        assertThat(count("select event_seq from branch where id = 1")).isEqualTo(seqBefore);
    }

    @Test
    void aSaleReportsTheBranchOmsetAndWritesBothEvents() {
        long product = newProduct(ProductType.FRAME, 750_000, Map.of(2L, 20));
        String token = token("kasir2");
        var omsetBefore = api().get("/api/omset", token).body();

        var r = api().sell(token, sale(null, "BPJS", product, 2));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("total").asLong()).isEqualTo(1_500_000);
        assertThat(r.body().get("invoiceNo").asString()).startsWith("INV-2-");
        var omset = api().get("/api/omset", token).body();
        assertThat(omset.get("branchId").asLong()).isEqualTo(2);
        assertThat(omset.get("total").asLong() - omsetBefore.get("total").asLong()).isEqualTo(1_500_000);
        assertThat(omset.get("bpjs").asLong() - omsetBefore.get("bpjs").asLong()).isEqualTo(1_500_000);
        assertThat(omset.get("transactions").asLong() - omsetBefore.get("transactions").asLong()).isEqualTo(1);

        var events = jdbc.sql("select type, payload::text from outbox_event where branch_id = 2 order by seq desc limit 2")
                .query((rs, i) -> rs.getString(1) + " " + rs.getString(2)).list();
        assertThat(events.get(0)).startsWith("stock.changed").contains("\"new_stock\": 18", "\"previous_stock\": 20");
        assertThat(events.get(1)).startsWith("sale.created").contains("\"total\": 1500000");
    }
}
