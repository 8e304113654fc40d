package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.ProductType;
import id.optikmelati.testkit.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The catalogue as admins keep it: new products, edits that never overwrite each other, and every change announced. */
class ProductAdminTest extends ApiTestBase {

    private static Map<String, Object> product(String kode, String barcode, String name, String type, Object price) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kode", kode);
        body.put("barcode", barcode);
        body.put("name", name);
        body.put("brand", "Merek Uji");
        body.put("type", type);
        body.put("price", price);
        return body;
    }

    private long products() {
        return count("select count(*) from product");
    }

    private long outbox() {
        return count("select count(*) from outbox_event");
    }

    @Test
    void aNewProductGetsTheNextCodeOfItsSeriesStartsAtZeroEverywhereAndIsAnnouncedOnEveryBranch() {
        long highest = count("select coalesce(max(cast(substring(kode from 3) as bigint)), 0) from product"
                + " where kode ~ '^LN[0-9]{6}$'");
        long events = outbox();
        var r = api().post("/api/products", token("admin1"), product(null, null, "Lensa Uji Baru", "LENS", 425_000));

        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        assertThat(r.body().get("kode").asString()).isEqualTo(String.format("LN%06d", highest + 1));
        assertThat(r.body().get("version").asLong()).isZero();
        assertThat(r.header("ETag")).isEqualTo("\"0\"");
        long id = r.body().get("id").asLong();
        for (long branch = 1; branch <= 3; branch++) {
            assertThat(stockOf(id, branch)).isZero();
        }
        assertThat(outbox() - events).isEqualTo(count("select count(*) from branch"));
        JsonNode payload = EventCodec.mapper().readTree(jdbc.sql(
                "select payload::text from outbox_event where type = 'product.changed' order by id desc limit 1")
                .query(String.class).single());
        assertThat(payload.get("productId").asLong()).isEqualTo(id);
        assertThat(payload.get("created").asBoolean()).isTrue();
        assertThat(payload.has("previousPrice")).isFalse();
    }

    @Test
    void aCodeGivenIsKeptUpperCaseAndNoCodeOrBarcodeIsUsedTwice() {
        String admin = token("admin1");
        String kode = "fr-" + UUID.randomUUID().toString().substring(0, 8);
        String barcode = "899" + (System.nanoTime() % 10_000_000_000L);
        var first = api().post("/api/products", admin, product(kode, barcode, "Frame Uji Kode", "FRAME", 300_000));
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(first.body().get("kode").asString()).isEqualTo(kode.toUpperCase());
        long before = products();

        var sameKode = api().post("/api/products", admin, product(kode.toUpperCase(), null, "Lain", "FRAME", 1));
        var sameBarcode = api().post("/api/products", admin, product(null, barcode, "Lain", "FRAME", 1));

        assertThat(sameKode.status()).isEqualTo(409);
        assertThat(sameKode.body().get("type").asString()).endsWith("/duplicate-kode");
        assertThat(sameBarcode.status()).isEqualTo(409);
        assertThat(sameBarcode.body().get("detail").asString()).contains(barcode, kode.toUpperCase());
        assertThat(products()).isEqualTo(before);
    }

    @Test
    void badProductsAreRefusedClearlyAndNothingIsWritten() {
        String admin = token("admin1");
        long before = products();
        long events = outbox();
        var negative = api().post("/api/products", admin, product(null, null, "Harga Negatif", "FRAME", -1));
        var absurd = api().post("/api/products", admin, product(null, null, "Harga Mustahil", "FRAME", 9_000_000_000L));
        var noName = api().post("/api/products", admin, product(null, null, " ", "FRAME", 1000));
        var badKode = api().post("/api/products", admin, product("FR 12;", null, "Kode Aneh", "FRAME", 1000));
        var unknownType = api().post("/api/products", admin, product(null, null, "Jenis Aneh", "SUNGLASS", 1000));

        for (var r : List.of(negative, absurd, noName, badKode, unknownType)) {
            assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.raw().body()).doesNotContain("java.", "tools.jackson", "ProductType");
        }
        assertThat(unknownType.body().get("detail").asString()).contains("type", "FRAME", "LENS", "ACCESSORY")
                .startsWith("Nilai field type tidak dikenal");
        assertThat(products()).isEqualTo(before);
        assertThat(outbox()).isEqualTo(events);
    }

    @Test
    void onlyAdminsKeepTheCatalogue() {
        var r = api().post("/api/products", token("kasir1"), product(null, null, "Oleh Kasir", "FRAME", 1000));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("type").asString()).endsWith("/products-admin-only");
    }

    @Test
    void anEditNeedsTheVersionItStartedFromAndAStaleOneIsAConflictNotALostUpdate() {
        String admin = token("admin1");
        var created = api().post("/api/products", admin, product(null, null, "Frame Uji Versi", "FRAME", 300_000));
        long id = created.body().get("id").asLong();
        Map<String, Object> edit = product(null, null, "Frame Uji Versi Baru", "FRAME", 325_000);

        var noVersion = api().put("/api/products/" + id, admin, edit, Map.of());
        edit.put("version", 0);
        var first = api().put("/api/products/" + id, admin, edit, Map.of());
        var stale = api().put("/api/products/" + id, token("superadmin"), edit, Map.of());
        var staleIfMatch = api().put("/api/products/" + id, admin, edit, Map.of("If-Match", "\"0\""));
        var freshIfMatch = api().put("/api/products/" + id, admin, product(null, null, "Frame Uji Versi 3", "FRAME",
                350_000), Map.of("If-Match", first.header("ETag")));

        assertThat(noVersion.status()).isEqualTo(428);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
        assertThat(first.body().get("version").asLong()).isEqualTo(1);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body().get("currentVersion").asLong()).isEqualTo(1);
        assertThat(staleIfMatch.status()).isEqualTo(412);
        assertThat(freshIfMatch.status()).isEqualTo(200);
        var now = api().get("/api/products/" + id, admin);
        assertThat(now.body().get("name").asString()).isEqualTo("Frame Uji Versi 3");
        assertThat(now.body().get("price").asLong()).isEqualTo(350_000);
        assertThat(now.header("ETag")).isEqualTo("\"2\"");
        JsonNode payload = EventCodec.mapper().readTree(jdbc.sql(
                "select payload::text from outbox_event where type = 'product.changed' order by id desc limit 1")
                .query(String.class).single());
        assertThat(payload.get("previousPrice").asLong()).isEqualTo(325_000);
        assertThat(payload.get("price").asLong()).isEqualTo(350_000);
    }

    @Test
    void twoAdminsSavingTheSameVersionAtOnceGetOneSaveAndOneConflict() throws Exception {
        String admin1 = token("admin1");
        String superadmin = token("superadmin");
        long id = api().post("/api/products", admin1, product(null, null, "Frame Rebutan", "FRAME", 300_000))
                .body().get("id").asLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiClient.Response>> saves = new ArrayList<>();
        for (String who : List.of(admin1, superadmin)) {
            Map<String, Object> edit = product(null, null, "Frame Rebutan " + who.hashCode(), "FRAME", 310_000);
            edit.put("version", 0);
            saves.add(pool.submit(() -> {
                start.await();
                return api().put("/api/products/" + id, who, edit, Map.of());
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (var f : saves) {
            statuses.add(f.get().status());
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        assertThat(count("select version from product where id = ?", id)).isEqualTo(1);
    }

    @Test
    void aSaleIsPricedAtThePriceItCommitsWithAndAnInactiveProductIsNotSold() {
        String admin = token("admin1");
        long id = api().post("/api/products", admin, product(null, null, "Frame Harga Baru", "FRAME", 300_000))
                .body().get("id").asLong();
        jdbc.sql("update stock set quantity = 10 where product_id = :p and branch_id = 1").param("p", id).update();
        Map<String, Object> edit = product(null, null, "Frame Harga Baru", "FRAME", 275_000);
        edit.put("version", 0);
        assertThat(api().put("/api/products/" + id, admin, edit, Map.of()).status()).isEqualTo(200);

        var sold = api().sell(token("kasir1"), sale(null, "UMUM", id, 2));
        assertThat(sold.status()).isEqualTo(201);
        assertThat(sold.body().get("total").asLong()).isEqualTo(550_000);

        edit.put("version", 1);
        edit.put("active", false);
        assertThat(api().put("/api/products/" + id, admin, edit, Map.of()).status()).isEqualTo(200);
        long sales = count("select count(*) from sale");
        var refused = api().sell(token("kasir1"), sale(null, "UMUM", id, 1));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("type").asString()).endsWith("/products-inactive");
        assertThat(count("select count(*) from sale")).isEqualTo(sales);
        assertThat(stockOf(id, 1)).isEqualTo(8);
        // an inactive product leaves the lists screens sell from
        var listed = api().get("/api/products?q=Frame%20Harga%20Baru", token("kasir1"));
        assertThat(listed.body()).isEmpty();
    }

    @Test
    void aScannerFindsAProductByItsBarcode() {
        String barcode = "899" + (System.nanoTime() % 10_000_000_000L);
        long id = api().post("/api/products", token("admin1"), product(null, barcode, "Aksesoris Scan", "ACCESSORY",
                25_000)).body().get("id").asLong();
        var found = api().get("/api/products?kode=" + barcode, token("kasir1"));
        assertThat(found.body()).hasSize(1);
        assertThat(found.body().get(0).get("id").asLong()).isEqualTo(id);
        assertThat(found.body().get(0).get("barcode").asString()).isEqualTo(barcode);
    }
}
