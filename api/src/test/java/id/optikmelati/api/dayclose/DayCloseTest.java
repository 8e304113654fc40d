package id.optikmelati.api.dayclose;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.api.ApiTestBase;
import id.optikmelati.contract.ProductType;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * End of day on branch 3: a known set of sales, a return and a glasses order, closed with a cash count
 * checked to the rupiah against the day's figures before them; then sales refused until a reopen.
 */
class DayCloseTest extends ApiTestBase {

    private static final long BRANCH = 3;
    private final String today = LocalDate.now(ZoneId.of("Asia/Jakarta")).toString();

    private JsonNode day(String token) {
        var r = api().get("/api/branches/" + BRANCH + "/day-close?date=" + today, token);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.body();
    }

    private static long f(JsonNode day, String field) {
        return day.get("figures").get(field).asLong();
    }

    @Test
    void aCloseFixesTheDaysFiguresToTheRupiahAndRefusesSalesUntilAnAdminReopensIt() {
        String admin = token("superadmin"); // branch 3 has no admin of its own in the demo chain
        long frame = newProduct(ProductType.FRAME, 100_000, Map.of(BRANCH, 20));
        long lens = newProduct(ProductType.LENS, 150_000, Map.of(BRANCH, 20));
        JsonNode before = day(admin);
        assertThat(before.get("closed").asBoolean()).isFalse();

        var umum = api().sell(admin, sale(BRANCH, "UMUM", frame, 2)); // 200.000 in cash
        assertThat(umum.status()).isEqualTo(201);
        assertThat(api().sell(admin, sale(BRANCH, "BPJS", lens, 1)).status()).isEqualTo(201); // 150.000
        var back = api().postOnce("/api/sales/" + umum.body().get("id").asLong() + "/returns", admin,
                Map.of("reason", "frame retak", "items", List.of(Map.of("productId", frame, "quantity", 1))));
        assertThat(back.status()).as(back.raw().body()).isEqualTo(201); // 100.000 back in cash
        var order = api().post("/api/orders", admin, Map.of("branchId", BRANCH, "customerName", "Ibu Tuti", "customerPhone", "0812 1111 2222",
                "items", List.of(Map.of("productId", lens, "quantity", 2)), "deposit", 50_000, "promisedDate", today));
        assertThat(order.status()).as(order.raw().body()).isEqualTo(201); // DP 50.000 in cash
        long orderId = order.body().get("id").asLong();
        assertThat(api().post("/api/orders/" + orderId + "/status", admin, Map.of("status", "READY")).status()).isEqualTo(200);
        assertThat(api().post("/api/orders/" + orderId + "/status", admin, Map.of("status", "PICKED_UP")).status())
                .isEqualTo(200); // 300.000 booked UMUM, of which 250.000 paid now

        var negative = api().post("/api/branches/" + BRANCH + "/day-close", admin,
                Map.of("date", today, "cashCounted", -1));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.contentType()).startsWith("application/problem+json");
        assertThat(api().get("/api/branches/" + BRANCH + "/day-close", token("admin1")).status())
                .as("another branch's admin").isEqualTo(403);
        assertThat(api().post("/api/branches/" + BRANCH + "/day-close", token("kasir3"),
                Map.of("date", today, "cashCounted", 0)).status()).isEqualTo(403);
        assertThat(api().post("/api/branches/" + BRANCH + "/day-close", admin,
                Map.of("date", LocalDate.parse(today).plusDays(1).toString(), "cashCounted", 0)).status()).isEqualTo(400);

        long expectedCash = f(before, "cashExpected") + 200_000 - 100_000 + 50_000 + 300_000 - 50_000;
        var closed = api().post("/api/branches/" + BRANCH + "/day-close", admin,
                Map.of("date", today, "cashCounted", expectedCash - 10_000, "note", "kurang 10 ribu, uang kembalian"));
        try {
            assertThat(closed.status()).as(closed.raw().body()).isEqualTo(201);
            JsonNode z = closed.body();
            assertThat(z.get("closed").asBoolean()).isTrue();
            assertThat(f(z, "transactions")).isEqualTo(f(before, "transactions") + 3);
            assertThat(f(z, "total")).isEqualTo(f(before, "total") + 200_000 + 150_000 - 100_000 + 300_000);
            assertThat(f(z, "bpjs")).isEqualTo(f(before, "bpjs") + 150_000);
            assertThat(f(z, "umum")).isEqualTo(f(before, "umum") + 200_000 - 100_000 + 300_000);
            assertThat(f(z, "returns")).isEqualTo(f(before, "returns") + 100_000);
            assertThat(f(z, "depositsReceived")).isEqualTo(f(before, "depositsReceived") + 50_000);
            assertThat(f(z, "depositsSettled")).isEqualTo(f(before, "depositsSettled") + 50_000);
            assertThat(f(z, "cashExpected")).isEqualTo(expectedCash);
            assertThat(f(z, "difference")).isEqualTo(-10_000);
            assertThat(count("select count(*) from outbox_event where type = 'day.changed' and branch_id = ?", BRANCH))
                    .isPositive();

            var refused = api().sell(token("kasir3"), sale(null, "UMUM", frame, 1));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("type").asString()).endsWith("/day-closed");
            assertThat(refused.body().get("detail").asString()).startsWith("Hari " + LocalDate.parse(today).getDayOfMonth());
            assertThat(stockOf(frame, BRANCH)).as("nothing of the refused sale stays").isEqualTo(19);
            assertThat(api().post("/api/branches/" + BRANCH + "/day-close", admin,
                    Map.of("date", today, "cashCounted", 0)).status()).isEqualTo(409);
            JsonNode still = day(admin);
            assertThat(f(still, "cashExpected")).as("fixed at the close").isEqualTo(expectedCash);
            var report = api().get("/tutup-hari/z?branch=" + BRANCH + "&date=" + today, null,
                    Map.of("Cookie", "optik_token=" + admin));
            assertThat(report.status()).as(report.raw().body()).isEqualTo(200);
            assertThat(report.raw().body()).contains("Laporan Z", "Kas seharusnya",
                    "Rp " + String.format(java.util.Locale.ROOT, "%,d", expectedCash).replace(',', '.'), "Rp -10.000",
                    "kurang 10 ribu");
        } finally {
            var reopened = api().post("/api/branches/" + BRANCH + "/day-close/" + today + "/reopen", admin,
                    Map.of("reason", "retur susulan"));
            assertThat(reopened.status()).as(reopened.raw().body()).isEqualTo(200);
        }
        JsonNode open = day(admin);
        assertThat(open.get("closed").asBoolean()).isFalse();
        assertThat(open.get("log").valueStream().map(l -> l.get("action").asString()).toList())
                .endsWith("CLOSED", "REOPENED");
        assertThat(api().sell(token("kasir3"), sale(null, "UMUM", frame, 1)).status()).isEqualTo(201);
        assertThat(api().post("/api/branches/" + BRANCH + "/day-close/" + today + "/reopen", admin,
                Map.of("reason", "lagi")).status()).isEqualTo(409);
    }
}
