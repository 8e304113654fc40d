package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ProductType;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reports on a branch of this test alone, with a history whose answers are known: four sales (two
 * BPJS, two UMUM) of known totals, one product sold out, one restocked and one corrected.
 */
class ReportTest extends ApiTestBase {

    long branch;
    long frame;
    long lens;
    String superadmin;

    @BeforeEach
    void history() {
        branch = 900 + System.nanoTime() % 90_000;
        jdbc.sql("insert into branch (id, name) values (:id, :name)").param("id", branch)
                .param("name", "Cabang Laporan " + branch).update();
        frame = newProduct(ProductType.FRAME, 300_000, Map.of());
        lens = newProduct(ProductType.LENS, 150_000, Map.of());
        for (long p : List.of(frame, lens)) {
            jdbc.sql("update stock set quantity = :q where product_id = :p and branch_id = :b").param("q", 0)
                    .param("p", p).param("b", 1).update();
            jdbc.sql("insert into stock (product_id, branch_id, quantity) values (:p, :b, :q)")
                    .param("p", p).param("b", branch).param("q", p == frame ? 3 : 20).update();
        }
        superadmin = token("superadmin");
        sell("BPJS", frame, 1);   // 300,000
        sell("BPJS", lens, 2);    // 300,000
        sell("UMUM", frame, 2);   // 600,000, frame sold out (3 -> 0)
        sell("UMUM", lens, 1);    // 150,000
        adjust(frame, 10, "Restock dari gudang");
        adjust(lens, -2, "Lensa pecah");
    }

    private void sell(String payment, long product, int quantity) {
        var r = api().sell(superadmin, Map.of("branchId", branch, "paymentType", payment,
                "items", List.of(Map.of("productId", product, "quantity", quantity))));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    }

    private void adjust(long product, int delta, String reason) {
        var r = api().post("/api/products/" + product + "/stock-adjustments", superadmin,
                Map.of("branchId", branch, "delta", delta, "reason", reason));
        assertThat(r.status()).as(r.raw().body()).isBetween(200, 201);
    }

    @Test
    void branchComparisonHasOmsetTransactionsAverageBpjsShareAndStockouts() {
        var r = api().get("/api/reports/branches", superadmin);
        assertThat(r.status()).isEqualTo(200);
        var mine = find(r.body().get("branches"), "branchId", branch);
        assertThat(mine.get("omset").asLong()).isEqualTo(1_350_000);
        assertThat(mine.get("transactions").asLong()).isEqualTo(4);
        assertThat(mine.get("averageSale").asLong()).isEqualTo(337_500);
        assertThat(mine.get("bpjsShare").asDouble()).isEqualTo(0.444); // 600,000 of 1,350,000
        assertThat(mine.get("stockouts").asLong()).isEqualTo(1);
    }

    /** The id of the branch's latest sale of {@code product} paid {@code payment}. */
    private long saleOf(long product, String payment) {
        return count("select s.id from sale s join sale_item i on i.sale_id = s.id where s.branch_id = ?"
                + " and i.product_id = ? and s.payment_type = ? order by s.id desc limit 1", branch, product, payment);
    }

    @Test
    void voidsAndReturnsComeOffTheOmsetOfTheirDayAndShowAsReturnedUnits() {
        // void the BPJS frame sale (300,000), and return one lens of the UMUM lens sale (150,000)
        var voided = api().postOnce("/api/sales/" + saleOf(frame, "BPJS") + "/void", superadmin,
                Map.of("reason", "salah input"));
        var returned = api().postOnce("/api/sales/" + saleOf(lens, "UMUM") + "/returns", superadmin,
                Map.of("reason", "tergores", "items", List.of(Map.of("productId", lens, "quantity", 1))));
        assertThat(voided.status()).as(voided.raw().body()).isEqualTo(201);
        assertThat(returned.status()).as(returned.raw().body()).isEqualTo(201);

        var mine = find(api().get("/api/reports/branches", superadmin).body().get("branches"), "branchId", branch);
        assertThat(mine.get("omset").asLong()).isEqualTo(900_000); // 1,350,000 - 300,000 - 150,000
        assertThat(mine.get("returns").asLong()).isEqualTo(450_000);
        assertThat(mine.get("transactions").asLong()).isEqualTo(4); // receipts issued
        assertThat(mine.get("averageSale").asLong()).isEqualTo(225_000);
        assertThat(mine.get("bpjsShare").asDouble()).isEqualTo(0.333); // 300,000 of 900,000
        var omset = api().get("/api/omset?branchId=" + branch, superadmin).body();
        assertThat(omset.get("total").asLong()).isEqualTo(900_000);
        assertThat(omset.get("bpjs").asLong()).isEqualTo(300_000);
        assertThat(omset.get("umum").asLong()).isEqualTo(600_000);

        var movement = api().get("/api/reports/stock-movement?branchId=" + branch, superadmin).body();
        var frameRow = find(movement.get("products"), "productId", frame);
        var lensRow = find(movement.get("products"), "productId", lens);
        assertThat(frameRow.get("sold").asLong()).isEqualTo(3);
        assertThat(frameRow.get("returned").asLong()).isEqualTo(1);
        assertThat(lensRow.get("returned").asLong()).isEqualTo(1);
        assertThat(stockOf(frame, branch)).isEqualTo(11); // 3 - 3 + 10 restocked + 1 back
        assertThat(stockOf(lens, branch)).isEqualTo(16); // 20 - 3 - 2 corrected + 1 back
    }

    @Test
    void stockMovementCountsSoldRestockedAndCorrectedUnitsAndRanksTheMovers() {
        var r = api().get("/api/reports/stock-movement?branchId=" + branch, superadmin);
        assertThat(r.status()).isEqualTo(200);
        var f = find(r.body().get("products"), "productId", frame);
        assertThat(f.get("sold").asLong()).isEqualTo(3);
        assertThat(f.get("restocked").asLong()).isEqualTo(10);
        assertThat(f.get("corrected").asLong()).isZero();
        var l = find(r.body().get("products"), "productId", lens);
        assertThat(l.get("sold").asLong()).isEqualTo(3);
        assertThat(l.get("corrected").asLong()).isEqualTo(2);
        assertThat(r.body().get("fastest").get(0).get("sold").asLong()).isEqualTo(3);
        var frames = find2(r.body().get("types"), "FRAME");
        assertThat(frames.get("sold").asLong()).isEqualTo(3);
        assertThat(find2(r.body().get("types"), "LENS").get("corrected").asLong()).isEqualTo(2);
    }

    @Test
    void peakHoursPutEverySaleInItsHourAndDayInTheShopsZone() {
        var now = LocalDateTime.now(ZoneId.of("Asia/Jakarta"));
        var r = api().get("/api/reports/peak-hours?branchId=" + branch, superadmin);
        assertThat(r.status()).isEqualTo(200);
        long transactions = 0;
        long omset = 0;
        for (var row : r.body().get("rows")) {
            transactions += row.get("transactions").asLong();
            omset += row.get("omset").asLong();
            assertThat(row.get("dayOfWeek").asInt()).isEqualTo(now.getDayOfWeek().getValue());
            assertThat(row.get("hour").asInt()).isBetween(now.getHour() - 1, now.getHour()); // the test may cross an hour
        }
        assertThat(transactions).isEqualTo(4);
        assertThat(omset).isEqualTo(1_350_000);
    }

    @Test
    void aReportsCsvOpensInAnIndonesianSpreadsheetWithItsColumnsNumbersAndDecimalCommas() throws Exception {
        var r = csv("/api/reports/branches?format=csv", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        String body = r.body();
        assertThat(body.charAt(0)).as("a BOM, or Excel reads UTF-8 as ANSI").isEqualTo('\uFEFF');
        // read as Excel on an Indonesian Windows reads it: ';' between cells, decimal commas
        List<org.apache.commons.csv.CSVRecord> rows = spreadsheet(body, ';');
        // a new column goes last, so a spreadsheet's columns stay where they were
        assertThat(rows.get(0).toList()).containsExactly("ID cabang", "Nama", "Omset (Rp)", "Transaksi",
                "Rata-rata per transaksi (Rp)", "Porsi BPJS", "Kali stok habis", "Batal dan retur");
        var mine = rows.stream().filter(row -> row.get(0).equals(Long.toString(branch))).findFirst().orElseThrow();
        assertThat(mine.toList()).containsExactly(Long.toString(branch), "Cabang Laporan " + branch, "1350000", "4",
                "337500", "0,444", "1", "0");
        assertThat(java.text.NumberFormat.getInstance(java.util.Locale.forLanguageTag("id-ID")).parse(mine.get(5))
                .doubleValue()).isEqualTo(0.444);

        var english = spreadsheet(csv("/api/reports/branches?format=csv", "en").body(), ',');
        assertThat(english.get(0).get(5)).isEqualTo("BPJS share");
        assertThat(english.stream().filter(row -> row.get(0).equals(Long.toString(branch))).findFirst().orElseThrow()
                .get(5)).isEqualTo("0.444");

        jdbc.sql("update branch set name = '=HYPERLINK(\"x\";1)' where id = :id").param("id", branch).update();
        var hostile = spreadsheet(csv("/api/reports/branches?format=csv", null).body(), ';');
        assertThat(hostile.stream().filter(row -> row.get(0).equals(Long.toString(branch))).findFirst().orElseThrow()
                .get(1)).as("a formula neutralised, its ';' kept inside the cell").isEqualTo("'=HYPERLINK(\"x\";1)");
    }

    private static List<org.apache.commons.csv.CSVRecord> spreadsheet(String body, char delimiter) throws Exception {
        assertThat(body).startsWith("\uFEFF");
        try (var parser = org.apache.commons.csv.CSVFormat.EXCEL.builder().setDelimiter(delimiter).get()
                .parse(new java.io.StringReader(body.substring(1)))) {
            return parser.getRecords();
        }
    }

    @Test
    void reportsAreForAdminsOfTheirOwnBranchAndBadPeriodsAreRefused() {
        assertThat(api().get("/api/reports/branches", token("kasir1")).status()).isEqualTo(403);
        assertThat(api().get("/api/reports/stock-movement?branchId=2", token("admin1")).status()).isEqualTo(403);
        assertThat(api().get("/api/reports/stock-movement", token("admin1")).status()).isEqualTo(200);
        var admin1Branches = api().get("/api/reports/branches", token("admin1")).body().get("branches");
        assertThat(admin1Branches.size()).isEqualTo(1);
        var bad = api().get("/api/reports/peak-hours?branchId=1&from=2026-01-10&to=2026-01-01", superadmin);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(api().get("/api/reports/peak-hours?branchId=1&from=2024-01-01&to=2026-01-01", superadmin).status())
                .isEqualTo(400);
        assertThat(api().get("/api/reports/branches?format=xml", superadmin).status()).isEqualTo(400);
    }

    private void movement(long product, String kind, int delta, int after, java.time.Instant at) {
        jdbc.sql("""
                        insert into stock_movement (product_id, branch_id, kind, delta, quantity_after, at)
                        values (:p, :b, :k, :d, :a, :at)
                        """).param("p", product).param("b", branch).param("k", kind).param("d", delta)
                .param("a", after).param("at", java.sql.Timestamp.from(at)).update();
    }

    @Test
    void aProductSoldAtAFixedRateHasAKnownForecastAndBacktest() {
        long steady = newProduct(ProductType.ACCESSORY, 25_000, Map.of());
        jdbc.sql("insert into stock (product_id, branch_id, quantity) values (:p, :b, 10)").param("p", steady)
                .param("b", branch).update();
        java.time.Instant now = java.time.Instant.now();
        for (int day = 1; day <= 56; day++) {
            // 2 a day in the last 28 days, 1 a day in the 28 before
            int sold = day <= 28 ? 2 : 1;
            movement(steady, "SOLD", -sold, 10, now.minus(java.time.Duration.ofDays(day)).plusSeconds(3600));
        }
        var r = api().get("/api/reports/forecast?branchId=" + branch, superadmin);
        assertThat(r.status()).isEqualTo(200);
        var f = find(r.body().get("products"), "productId", steady);
        assertThat(f.get("dailyRate").asDouble()).isEqualTo(2.0);
        assertThat(f.get("daysUntilStockout").asDouble()).isEqualTo(5.0);
        assertThat(f.get("runsOutWithinLeadTime").asBoolean()).isTrue();
        assertThat(f.get("reorderQuantity").asLong()).isEqualTo(2 * (7 + 3) - 10);
        // described in the caller's language: Indonesian unless the request asks for English
        assertThat(r.body().get("method").asString()).startsWith("rata-rata penjualan harian 28 hari terakhir");
        assertThat(r.body().get("backtest").get("window").asString()).contains("memprediksi 28 hari terakhir");
        var en = api().get("/api/reports/forecast?branchId=" + branch, superadmin, Map.of("Accept-Language", "en"));
        assertThat(en.body().get("method").asString())
                .startsWith("moving average of daily sales over the last 28 days")
                .contains("lead time 7 + safety 3 days");
        assertThat(en.body().get("backtest").get("window").asString()).isEqualTo("the 28 days before the last 28 predict the last 28");
        // held out: 28 sold in the window before predicted 56 in the last one; error 28 units (50%) for it
        assertThat(r.body().get("backtest").get("products").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(r.body().get("backtest").get("meanAbsoluteError").asDouble()).isPositive();
    }

    @Test
    void aSaleThatBringsTheStockoutInsideTheLeadTimeRaisesOneEarlyWarning() {
        long p = newProduct(ProductType.ACCESSORY, 40_000, Map.of());
        jdbc.sql("insert into stock (product_id, branch_id, quantity) values (:p, :b, 20)").param("p", p)
                .param("b", branch).update();
        java.time.Instant now = java.time.Instant.now();
        for (int day = 1; day <= 28; day++) {
            movement(p, "SOLD", -2, 20, now.minus(java.time.Duration.ofDays(day)).plusSeconds(3600));
        }
        // 20 at 2 a day: 10 days, outside the 7-day lead time. Selling 6: 14 at 62/28 a day = 6.3 days.
        sell("UMUM", p, 6);
        String forecasts = "select count(*) from outbox_event where branch_id = ? and type = 'stock.forecast'"
                + " and (payload ->> 'productId')::bigint = ?";
        assertThat(count(forecasts, branch, p)).isEqualTo(1);
        var payload = jdbc.sql("select payload::text from outbox_event where branch_id = :b and type = 'stock.forecast'"
                + " and (payload ->> 'productId')::bigint = :p").param("b", branch).param("p", p).query(String.class).single();
        assertThat(payload).contains("\"stock\": 14", "\"daysUntilStockout\": 6.32", "\"leadTimeDays\": 7.0");
        sell("UMUM", p, 1); // already inside: no second warning
        assertThat(count(forecasts, branch, p)).isEqualTo(1);
    }

    @Test
    void lowStockFrequencyCountsSpellsAndTheirHours() {
        long q = newProduct(ProductType.FRAME, 500_000, Map.of());
        jdbc.sql("insert into stock (product_id, branch_id, quantity) values (:p, :b, 20)").param("p", q)
                .param("b", branch).update();
        java.time.Instant t0 = java.time.Instant.now().minus(java.time.Duration.ofDays(2));
        movement(q, "SOLD", -2, 8, t0);
        movement(q, "SOLD", -4, 4, t0.plus(java.time.Duration.ofHours(2)));   // low from here
        movement(q, "SOLD", -4, 0, t0.plus(java.time.Duration.ofHours(5)));   // out from here
        movement(q, "RESTOCKED", 20, 20, t0.plus(java.time.Duration.ofHours(6)));
        var r = api().get("/api/reports/low-stock?branchId=" + branch, superadmin);
        assertThat(r.status()).isEqualTo(200);
        var spell = find(r.body().get("products"), "productId", q);
        assertThat(spell.get("timesLow").asLong()).isEqualTo(1);
        assertThat(spell.get("stockouts").asLong()).isEqualTo(1);
        assertThat(spell.get("hoursLow").asDouble()).isEqualTo(4.0);
        assertThat(spell.get("hoursOut").asDouble()).isEqualTo(1.0);
    }

    private java.net.http.HttpResponse<String> csv(String path, String language) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + superadmin);
        if (language != null) {
            request.header("Accept-Language", language);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static tools.jackson.databind.JsonNode find2(tools.jackson.databind.JsonNode array, String type) {
        for (var n : array) {
            if (n.get("type").asString().equals(type)) {
                return n;
            }
        }
        throw new AssertionError("no type " + type + " in " + array);
    }

    private static tools.jackson.databind.JsonNode find(tools.jackson.databind.JsonNode array, String field, long value) {
        for (var n : array) {
            if (n.get(field).asLong() == value) {
                return n;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }
}
