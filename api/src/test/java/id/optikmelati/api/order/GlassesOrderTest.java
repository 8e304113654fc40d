package id.optikmelati.api.order;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.api.ApiTestBase;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.ProductType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Glasses orders: the prescription checked, the frame and lenses reserved, the money booked once. */
class GlassesOrderTest extends ApiTestBase {

    private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

    private Map<String, Object> order(long frame, long lens, Map<String, Object> prescription, long deposit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerName", "Ibu Sari");
        body.put("customerPhone", "0812-3456-7890");
        body.put("description", "Lensa progresif, antiradiasi");
        if (prescription != null) {
            body.put("prescription", prescription);
        }
        body.put("items", List.of(Map.of("productId", frame, "quantity", 1), Map.of("productId", lens, "quantity", 2)));
        body.put("deposit", deposit);
        body.put("promisedDate", LocalDate.now(JAKARTA).plusDays(5).toString());
        return body;
    }

    private static Map<String, Object> prescription(Object rightSph, Object rightCyl, Object rightAxis, Object pd) {
        Map<String, Object> right = new LinkedHashMap<>();
        right.put("sph", rightSph);
        if (rightCyl != null) {
            right.put("cyl", rightCyl);
        }
        if (rightAxis != null) {
            right.put("axis", rightAxis);
        }
        right.put("add", 1.5);
        return Map.of("right", right, "left", Map.of("sph", -2.0, "cyl", -0.75, "axis", 180), "pd", pd);
    }

    private long status(String token, long order, String status) {
        var r = api().post("/api/orders/" + order + "/status", token, Map.of("status", status));
        return r.status();
    }

    private long umumOmset(String token) {
        return api().get("/api/omset", token).body().get("umum").asLong();
    }

    private long bpjsOmset(String token) {
        return api().get("/api/omset", token).body().get("bpjs").asLong();
    }

    @Test
    void aPrescriptionOutsideTheOpticiansRangesIsRefusedAndNothingIsReserved() {
        long frame = newProduct(ProductType.FRAME, 450_000, Map.of(1L, 3));
        long lens = newProduct(ProductType.LENS, 300_000, Map.of(1L, 6));
        String kasir = token("kasir1");
        long orders = count("select count(*) from customer_order");
        record Bad(Map<String, Object> prescription, String type, String detail) {}
        List<Bad> cases = List.of(
                new Bad(prescription(-1.3, null, null, 62), "prescription-step", "R SPH bernilai -1,30, padahal harus kelipatan 0,25."),
                new Bad(prescription(-20.25, null, null, 62), "prescription-range", "R SPH bernilai -20,25, padahal harus antara -20,00 dan 20,00."),
                new Bad(prescription(1.0, -6.5, 90, 62), "prescription-range", "R CYL"),
                new Bad(prescription(1.0, -0.1, 90, 62), "prescription-step", "R CYL"),
                new Bad(prescription(1.0, -0.5, null, 62), "prescription-axis-missing", "Mata R memiliki CYL"),
                new Bad(prescription(1.0, -0.5, 181, 62), "prescription-axis-range", "AXIS mata R bernilai 181"),
                new Bad(prescription(1.0, -0.5, -1, 62), "prescription-axis-range", "AXIS mata R"),
                new Bad(prescription(1.0, null, null, 62.3), "prescription-step", "PD bernilai 62,30"),
                new Bad(prescription(1.0, null, null, 95), "prescription-range", "PD"),
                new Bad(Map.of("right", Map.of("sph", 1.0), "pd", 62), "prescription-missing", "L"),
                new Bad(prescription("-1.25", null, null, 62), "bad-field", "prescription.right.sph"));
        for (Bad c : cases) {
            var r = api().post("/api/orders", kasir, order(frame, lens, c.prescription(), 0));
            assertThat(r.status()).as(c.toString() + " " + r.raw().body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body().get("type").asString()).as(r.raw().body()).endsWith("/" + c.type());
            assertThat(r.body().get("detail").asString()).as(r.raw().body()).contains(c.detail())
                    .doesNotContain("java", "BigDecimal");
        }
        var english = api().postRaw("/api/orders", kasir, EventCodec.toJson(order(frame, lens,
                prescription(-1.3, null, null, 62), 0)), Map.of("Accept-Language", "en"));
        assertThat(english.body().get("detail").asString()).isEqualTo("R SPH is -1.30; it must be a multiple of 0.25.");
        assertThat(count("select count(*) from customer_order")).isEqualTo(orders);
        assertThat(stockOf(frame, 1)).isEqualTo(3);
        assertThat(stockOf(lens, 1)).isEqualTo(6);
    }

    @Test
    void anOrderReservesItsFrameAndLensesAndACancelGivesThemBack() {
        long frame = newProduct(ProductType.FRAME, 450_000, Map.of(1L, 3));
        long lens = newProduct(ProductType.LENS, 300_000, Map.of(1L, 6));
        String kasir = token("kasir1");
        var made = api().post("/api/orders", kasir, order(frame, lens, prescription(-1.25, -0.5, 90, 62.5), 250_000));
        assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
        JsonNode o = made.body();
        assertThat(o.get("status").asString()).isEqualTo("ORDERED");
        assertThat(o.get("total").asLong()).isEqualTo(450_000 + 2 * 300_000);
        assertThat(o.get("deposit").asLong()).isEqualTo(250_000);
        assertThat(o.get("balance").asLong()).isEqualTo(1_050_000 - 250_000);
        assertThat(o.get("prescription").get("right").get("sph").asString()).isEqualTo("-1.25");
        assertThat(o.get("prescription").get("right").get("axis").asInt()).isEqualTo(90);
        assertThat(o.get("prescription").get("pd").asString()).isEqualTo("62.5");
        assertThat(stockOf(frame, 1)).isEqualTo(2);
        assertThat(stockOf(lens, 1)).isEqualTo(4);
        String orderNo = o.get("orderNo").asString();
        assertThat(count("select count(*) from stock_movement where kind = 'RESERVED' and reference = ?", orderNo))
                .isEqualTo(2);
        var slip = api().get("/pesanan/" + o.get("id").asLong() + "/nota", null, Map.of("Cookie", "optik_token=" + kasir));
        assertThat(slip.status()).as(slip.raw().body()).isEqualTo(200);
        assertThat(slip.raw().body()).contains(orderNo, "-1,25", "-0,50", "62,5 mm", "Rp 1.050.000", "Rp 800.000");

        long id = o.get("id").asLong();
        assertThat(status(kasir, id, "CANCELLED")).isEqualTo(403);
        assertThat(status(kasir, id, "AT_LAB")).isEqualTo(200);
        assertThat(status(token("admin1"), id, "CANCELLED")).isEqualTo(200);
        assertThat(stockOf(frame, 1)).isEqualTo(3);
        assertThat(stockOf(lens, 1)).isEqualTo(6);
        assertThat(count("select count(*) from stock_movement where kind = 'RELEASED' and reference = ?", orderNo))
                .isEqualTo(2);
        var again = api().post("/api/orders/" + id + "/status", kasir, Map.of("status", "READY"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("detail").asString()).isEqualTo(
                "Pesanan " + orderNo + " berstatus Dibatalkan dan tidak dapat diubah menjadi Siap diambil.");
        assertThat(stockOf(frame, 1)).isEqualTo(3);
    }

    @Test
    void pickingUpBooksTheOrdersTotalOnceAsASaleOfThatDay() {
        long frame = newProduct(ProductType.FRAME, 450_000, Map.of(1L, 3));
        long lens = newProduct(ProductType.LENS, 300_000, Map.of(1L, 6));
        String kasir = token("kasir1");
        long id = api().post("/api/orders", kasir, order(frame, lens, prescription(0.0, null, null, 64), 500_000))
                .body().get("id").asLong();
        long bpjsBefore = bpjsOmset(kasir);
        long umumBefore = umumOmset(kasir);
        long sales = count("select count(*) from sale where branch_id = 1");
        assertThat(status(kasir, id, "PICKED_UP")).as("not ready yet").isEqualTo(409);
        assertThat(status(kasir, id, "AT_LAB")).isEqualTo(200);
        assertThat(status(kasir, id, "READY")).isEqualTo(200);
        assertThat(count("select count(*) from outbox_event where type = 'order.ready' and (payload->>'orderId')::bigint = ?",
                id)).isEqualTo(1);
        var picked = api().post("/api/orders/" + id + "/status", kasir, Map.of("status", "PICKED_UP",
                "paymentType", "BPJS"));
        assertThat(picked.status()).as(picked.raw().body()).isEqualTo(200);
        long saleId = picked.body().get("saleId").asLong();
        assertThat(count("select total from sale where id = ?", saleId)).isEqualTo(1_050_000);
        assertThat(count("select count(*) from sale_item where sale_id = ?", saleId)).isEqualTo(2);
        assertThat(bpjsOmset(kasir)).isEqualTo(bpjsBefore + 1_050_000);
        assertThat(umumOmset(kasir)).isEqualTo(umumBefore);
        assertThat(stockOf(frame, 1)).as("taken when ordered, not again").isEqualTo(2);
        assertThat(stockOf(lens, 1)).isEqualTo(4);

        assertThat(status(kasir, id, "PICKED_UP")).isEqualTo(409);
        assertThat(status(token("admin1"), id, "CANCELLED")).isEqualTo(409);
        assertThat(count("select count(*) from sale where branch_id = 1")).isEqualTo(sales + 1);
        JsonNode last = api().get("/api/orders/" + id, kasir).body();
        assertThat(last.get("status").asString()).isEqualTo("PICKED_UP");
        assertThat(count("select count(*) from outbox_event where type = 'order.changed' and (payload->>'orderId')::bigint = ?",
                id)).as("made, at the lab, ready, picked up").isEqualTo(4);
    }

    @Test
    void aDepositAboveTheTotalAPastDateOrTooLittleStockIsRefusedWithNothingHalfWritten() {
        long frame = newProduct(ProductType.FRAME, 450_000, Map.of(1L, 3));
        long lens = newProduct(ProductType.LENS, 300_000, Map.of(1L, 1));
        String kasir = token("kasir1");
        long orders = count("select count(*) from customer_order");

        var deposit = api().post("/api/orders", kasir, order(frame, newProduct(ProductType.LENS, 1, Map.of(1L, 9)),
                prescription(0.0, null, null, 64), 1_000_000));
        assertThat(deposit.status()).isEqualTo(400);
        assertThat(deposit.body().get("detail").asString())
                .isEqualTo("DP Rp 1.000.000 lebih besar dari total pesanan Rp 450.002.");

        Map<String, Object> past = order(frame, lens, null, 0);
        past.put("promisedDate", LocalDate.now(JAKARTA).minusDays(1).toString());
        var late = api().post("/api/orders", kasir, past);
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body().get("type").asString()).endsWith("/promised-date-past");
        // the date as the caller's language writes it, not 2026-11-30
        assertThat(late.body().get("detail").asString()).startsWith("Tanggal janji " + java.time.format.DateTimeFormatter
                .ofPattern("d MMMM yyyy", java.util.Locale.forLanguageTag("id")).format(LocalDate.now(JAKARTA).minusDays(1))
                + " sudah lewat");

        var shortage = api().post("/api/orders", kasir, order(frame, lens, null, 0)); // 2 lenses, 1 in stock
        assertThat(shortage.status()).isEqualTo(409);
        assertThat(shortage.body().get("detail").asString()).contains("Pesanan tidak disimpan");

        assertThat(count("select count(*) from customer_order")).isEqualTo(orders);
        assertThat(stockOf(frame, 1)).isEqualTo(3);
        assertThat(stockOf(lens, 1)).isEqualTo(1);
    }
}
