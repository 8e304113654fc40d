package id.optikmelati.system;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Margin;
import id.optikmelati.testkit.TestShop;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Running the chain from its screens, in a real browser against the whole system: an admin adds a
 * product that an open sale page can sell at once, a new price reaches a cart, a kasir prints a
 * receipt, an admin voids a sale that another admin's dashboard takes off the omset, and an account
 * an admin opens must choose its own password and loses its screens when deactivated.
 */
class ChainScreensTest extends BrowserTest {

    @BeforeAll
    static void start() throws Exception {
        start(ShopCluster.Options.defaults());
    }

    /** A browser of its own (its own cookies), logged in as {@code username}, on {@code path}. */
    private Page as(String username, String path) {
        return Chromium.logIn(cluster, browser(true), username, path);
    }

    private static String rupiah(long amount) {
        return "Rp " + String.format(Locale.ROOT, "%,d", amount).replace(',', '.');
    }

    @Test
    void anAdminAddsAProductAndAKasirsOpenSalePageSellsItWithoutAReload() {
        Page till = as("kasir1", "/penjualan/baru");
        Page catalogue = as("admin1", "/produk");
        String barcode = "899" + (System.nanoTime() % 10_000_000_000L);

        catalogue.locator("#new-product").click();
        catalogue.locator("#p-type").selectOption("FRAME");
        catalogue.locator("#p-barcode").fill(barcode);
        catalogue.locator("#p-name").fill("Frame Baru Dari Layar");
        catalogue.locator("#p-brand").fill("Melati");
        catalogue.locator("#p-price").fill("345000");
        catalogue.locator("#p-save").click();
        assertThat(catalogue.locator("#product-rows")).containsText("Frame Baru Dari Layar");
        long id = shop.get("/api/products?kode=" + barcode, shop.login("admin1", "melati-demo")).body().get(0).get("id")
                .asLong();
        var restock = shop.post("/api/products/" + id + "/stock-adjustments", shop.login("admin1", "melati-demo"),
                Map.of("delta", 4, "reason", "Barang baru datang"));
        assertThat(restock.status()).isEqualTo(201);

        // the till never reloaded: the new product and its stock arrived on its stream. (The modal is
        // closed only once it has finished opening: Bootstrap ignores a close during its fade-in.)
        till.evaluate("() => { window.productsShown = new Promise(done => document.getElementById('product-modal')"
                + ".addEventListener('shown.bs.modal', done, { once: true })); }");
        till.locator("#open-products").click();
        till.evaluate("() => window.productsShown");
        assertThat(till.locator("#product-rows tr[data-product-id='" + id + "'] .stock-cell")).hasText("4");
        till.locator("#product-modal .btn-close").click();
        assertThat(till.locator("#product-modal")).isHidden();
        till.locator("#barcode").fill(barcode);
        till.locator("#barcode").press("Enter");
        assertThat(till.locator("#cart")).containsText("Frame Baru Dari Layar");
        till.locator("#save-sale").click();
        assertThat(till.locator(".swal2-popup")).containsText(rupiah(345_000));
        assertThat(catalogue.locator("#product-rows tr[data-product-id='" + id + "']")).containsText("3");
    }

    @Test
    void aTransferOneBranchAsksForIsSentAndReceivedShortWhileBothScreensFollowLive() {
        String superadmin = shop.login("superadmin", "melati-demo");
        var created = shop.post("/api/products", superadmin, Map.of("type", "FRAME", "name", "Frame Untuk Transfer",
                "brand", "Melati", "price", 275_000));
        assertThat(created.status()).isEqualTo(201);
        long id = created.body().get("id").asLong();
        String kode = created.body().get("kode").asString();
        assertThat(shop.post("/api/products/" + id + "/stock-adjustments", shop.login("admin2", "melati-demo"),
                Map.of("delta", 6, "reason", "stok awal")).status()).isEqualTo(201);
        Page asking = as("admin1", "/transfer");
        Page sending = as("admin2", "/transfer");

        asking.locator("#transfer-from").selectOption("2");
        asking.locator("[data-lines=transfer] input[list]").fill(kode);
        asking.locator("[data-lines=transfer] input[type=number]").fill("3");
        asking.locator("#transfer-note").fill("untuk pesanan Ibu Sari");
        asking.locator("#transfer-form button[type=submit]").click();
        assertThat(asking.locator("#transfer-rows tr[data-status=REQUESTED]")).containsText("Frame Untuk Transfer");

        // the sending branch never reloaded: the request arrived on its stream
        var request = sending.locator("#transfer-rows tr[data-status=REQUESTED]").filter(
                new com.microsoft.playwright.Locator.FilterOptions().setHasText("Frame Untuk Transfer"));
        request.locator("button.btn-primary").click();
        assertThat(asking.locator("#transfer-rows tr[data-status=SENT]")).containsText("Dalam perjalanan");
        assertThat(shop.get("/api/products?kode=" + kode + "&branchId=2", superadmin).body().get(0).get("stock").asInt())
                .isEqualTo(3);
        Page stock = as("admin1", "/stok?q=" + kode);
        var badge = stock.locator("tbody[data-type] tr[data-product-id='" + id + "'] .in-transit");
        assertThat(badge).hasText("+3 dalam perjalanan");

        asking.locator("#transfer-rows tr[data-status=SENT] button.btn-success").click();
        asking.locator(".swal2-popup input[type=number]").fill("2");
        asking.locator(".swal2-confirm").click();
        assertThat(asking.locator("#transfer-rows tr[data-status=RECEIVED]")).containsText("kurang 1");
        assertThat(sending.locator("#transfer-rows tr[data-status=RECEIVED]")).containsText("Diterima");
        assertThat(badge).isHidden(); // arrived: no longer on its way
        assertThat(shop.get("/api/products?kode=" + kode + "&branchId=1", superadmin).body().get(0).get("stock").asInt())
                .isEqualTo(2);
    }

    @Test
    void aProductThatTurnsCriticalOffersATransferFromTheBranchThatCanSpareItInOneClick() {
        String superadmin = shop.login("superadmin", "melati-demo");
        var created = shop.post("/api/products", superadmin, Map.of("type", "LENS", "name", "Lensa Hampir Habis",
                "brand", "Melati", "price", 180_000));
        long id = created.body().get("id").asLong();
        String kode = created.body().get("kode").asString();
        shop.post("/api/products/" + id + "/stock-adjustments", shop.login("admin1", "melati-demo"),
                Map.of("delta", 6, "reason", "stok awal"));
        shop.post("/api/products/" + id + "/stock-adjustments", shop.login("admin2", "melati-demo"),
                Map.of("delta", 20, "reason", "stok awal"));
        Page admin = as("admin1", "/");
        assertThat(admin.locator("#connection")).containsText("Terhubung");

        var sold = shop.sell(shop.login("kasir1", "melati-demo"), Map.of("paymentType", "UMUM",
                "items", java.util.List.of(Map.of("productId", id, "quantity", 1))));
        assertThat(sold.status()).isEqualTo(201);
        // 5 left here: critical. Branch 2 has 10 above its medium level; 6 lift this branch over 10.
        assertThat(admin.locator(".swal2-popup")).containsText("Cabang Kemang punya 20");
        admin.locator(".swal2-deny").click();
        admin.waitForURL("**/transfer?**");
        assertThat(admin.locator("#transfer-from")).hasValue("2");
        assertThat(admin.locator("[data-lines=transfer] input[list]")).hasValue(kode);
        assertThat(admin.locator("[data-lines=transfer] input[type=number]")).hasValue("6");
        admin.locator("#transfer-form button[type=submit]").click();
        assertThat(admin.locator("#transfer-rows tr[data-status=REQUESTED]")).containsText("Lensa Hampir Habis: 6");
    }

    @Test
    void aNewPriceReachesACartHoldingTheProductBeforeTheSaleIsSaved() {
        TestShop.Product frame = TestShop.product(1, 10, "Frame Harga Berubah");
        Page till = as("kasir1", "/penjualan/baru");
        till.locator("#barcode").fill(frame.kode());
        till.locator("#barcode").press("Enter");
        assertThat(till.locator("#cart tr[data-product-id='" + frame.id() + "']")).containsText(rupiah(250_000));

        String admin = shop.login("admin1", "melati-demo");
        var current = shop.get("/api/products/" + frame.id(), admin).body();
        var saved = shop.put("/api/products/" + frame.id(), admin, Map.of("name", frame.name(), "type", "FRAME",
                "price", 225_000, "version", current.get("version").asLong()), Map.of());
        assertThat(saved.status()).isEqualTo(200);

        assertThat(till.locator("#cart tr[data-product-id='" + frame.id() + "']")).containsText(rupiah(225_000));
        assertThat(till.locator("#cart-total")).hasText(rupiah(225_000));
        assertThat(till.locator("#toasts")).containsText(rupiah(225_000));
        till.locator("#save-sale").click();
        assertThat(till.locator(".swal2-popup")).containsText(rupiah(225_000));
    }

    @Test
    void aKasirMakesAGlassesOrderWithAPrescriptionByKeyboardAndPrintsItsSlip() throws Exception {
        TestShop.Product frame = TestShop.product(1, 4, "Frame Pesanan Resep");
        TestShop.Product lens = TestShop.product(1, 6, "Lensa Pesanan Resep");
        Page page = as("kasir1", "/pesanan");
        page.locator("#order-customer").fill("Ibu Melati");
        page.locator("#order-phone").fill("0813 2222 1111");
        page.locator("#rx-right-sph").fill("-1,25");
        page.locator("#rx-right-cyl").fill("-0,50");
        page.locator("#rx-right-axis").fill("90");
        page.locator("#rx-left-sph").fill("-1");
        page.locator("#rx-pd").fill("62,5");
        for (TestShop.Product p : List.of(frame, lens, lens)) {
            page.locator("#order-barcode").fill(p.kode());
            page.locator("#order-barcode").press("Enter");
        }
        assertThat(page.locator("#order-lines")).containsText("Lensa Pesanan Resep");
        page.locator("#order-deposit").fill("100000");
        assertThat(page.locator("#order-total")).hasText(rupiah(250_000 * 3));
        assertThat(page.locator("#order-balance")).hasText(rupiah(250_000 * 3 - 100_000));
        page.locator("#order-form button[type=submit]").click();
        assertThat(page.locator(".swal2-popup")).containsText("dibuat");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("glasses-order.png")).setFullPage(true));
        page.locator(".swal2-cancel").click();
        Locator row = page.locator("#order-rows tr", new Page.LocatorOptions().setHasText("Ibu Melati")).first();
        assertThat(row).containsText("Dipesan");
        String orderId = row.getAttribute("data-order-id");
        assertThat(TestShop.queryLong("select quantity from stock where product_id = ? and branch_id = 1", lens.id()))
                .as("reserved when ordered").isEqualTo(4);

        page.navigate(cluster.web("/pesanan/" + orderId + "/nota"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("order-slip.png")).setFullPage(true));
        byte[] pdf = page.pdf(new Page.PdfOptions().setPreferCSSPageSize(true)
                .setMargin(new Margin().setTop("0").setBottom("0").setLeft("0").setRight("0")));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
            assertThat(text).contains("Nota pesanan", "Ibu Melati", "-1,25", "-0,50", "90", "62,5 mm",
                    rupiah(750_000), rupiah(650_000), "PSN-1-");
        }
    }

    @Test
    void anAdminClosesTheDayAndTheKasirsDashboardSaysSoLiveUntilItIsReopened() {
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Jakarta")).toString();
        Page dashboard = as("kasir2", "/");
        Page close = as("admin2", "/tutup-hari");
        assertThat(close.locator("#day-state")).containsText("Hari masih berjalan");
        String expected = close.locator("#day-figures [data-field=cashExpected]").textContent();
        close.locator("#cash-counted").fill(expected.replaceAll("[^0-9]", ""));
        assertThat(close.locator("#difference")).containsText("(pas)");
        close.locator("#close-note").fill("laci pas");
        close.locator("#close-day").click();
        close.locator(".swal2-confirm").click();
        try {
            assertThat(close.locator("#day-state")).containsText("Ditutup oleh admin2");
            assertThat(close.locator("#z-report")).isVisible();
            assertThat(dashboard.locator("#day-closed")).isVisible();
            close.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("day-closed.png"))
                    .setFullPage(true));
            dashboard.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("dashboard-closed.png")));
            var refused = shop.sell(shop.login("kasir2", "melati-demo"), Map.of("paymentType", "UMUM",
                    "items", List.of(Map.of("productId", TestShop.product(2, 3, "Frame Setelah Tutup").id(), "quantity", 1))));
            assertThat(refused.status()).isEqualTo(409);
        } finally {
            var reopened = shop.post("/api/branches/2/day-close/" + today + "/reopen", shop.login("admin2", "melati-demo"),
                    Map.of("reason", "uji layar"));
            assertThat(reopened.status()).as(reopened.raw().body()).isEqualTo(200);
        }
        assertThat(dashboard.locator("#day-closed")).isHidden();
    }

    @Test
    void anAdminReadsTheRestApiInSwaggerUi() {
        Page docs = Chromium.open(cluster, browser(true), "admin1", "/swagger-ui.html");
        var sale = docs.locator(".opblock-post .opblock-summary-path[data-path='/api/sales']");
        assertThat(sale).isVisible();
        sale.click();
        assertThat(docs.locator(".parameter__name", new Page.LocatorOptions().setHasText("Idempotency-Key")).first())
                .isVisible();
        docs.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("swagger-ui.png")));
    }

    @Test
    void aKasirPrintsAReceiptAndThePdfHasTheInvoiceTheTotalAndThePaperWidth() throws Exception {
        TestShop.Product lens = TestShop.product(1, 10, "Lensa Untuk Struk");
        var sale = shop.sell(shop.login("kasir1", "melati-demo"), Map.of("paymentType", "BPJS", "customerName", "Ibu Ratna",
                "items", List.of(Map.of("productId", lens.id(), "quantity", 2))));
        String invoice = sale.body().get("invoiceNo").asString();
        Page page = as("kasir1", "/penjualan/" + sale.body().get("id").asLong());
        assertThat(page.locator("#d-invoice")).hasText(invoice);

        for (String paper : List.of("58", "80", "a4")) {
            page.navigate(cluster.web("/penjualan/" + sale.body().get("id").asLong() + "/struk?kertas=" + paper));
            byte[] pdf = page.pdf(new Page.PdfOptions().setPreferCSSPageSize(true).setPrintBackground(true)
                    .setMargin(new Margin().setTop("0").setBottom("0").setLeft("0").setRight("0")));
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
                assertThat(text).as(paper).contains(invoice, rupiah(500_000), "BPJS", "Ibu Ratna", "Optik Melati");
                float widthMm = doc.getPage(0).getMediaBox().getWidth() / 72f * 25.4f;
                float expected = switch (paper) {
                    case "58" -> 58f;
                    case "80" -> 80f;
                    default -> 210f;
                };
                assertThat(widthMm).as(paper + " mm paper").isBetween(expected - 1, expected + 1);
            }
        }
    }

    @Test
    void anAdminVoidsASaleAndAnotherAdminsDashboardShowsTheNewOmset() {
        TestShop.Product frame = TestShop.product(1, 10, "Frame Untuk Dibatalkan");
        var sale = shop.sell(shop.login("kasir1", "melati-demo"), Map.of("paymentType", "UMUM",
                "items", List.of(Map.of("productId", frame.id(), "quantity", 1))));
        long saleId = sale.body().get("id").asLong();
        Page dashboard = as("superadmin", "/");
        String token = shop.login("superadmin", "melati-demo");
        long chainBefore = shop.get("/api/omset", token).body().get("total").asLong();
        assertThat(dashboard.locator("#omset-total")).hasText(rupiah(chainBefore));

        Page detail = as("admin1", "/penjualan/" + saleId);
        detail.locator("#void-sale").click();
        detail.locator(".swal2-input").fill("pelanggan batal");
        detail.locator(".swal2-confirm").click();
        assertThat(detail.locator("#d-status")).containsText("Batal");

        assertThat(dashboard.locator("#omset-total")).hasText(rupiah(chainBefore - 250_000));
        assertThat(dashboard.locator("#latest-sales tr[data-sale-id='" + saleId + "'] .sale-status")).hasText("Batal");
        assertThat(shop.get("/api/omset", token).body().get("total").asLong()).isEqualTo(chainBefore - 250_000);
    }

    @Test
    void anAdminOpensAKasirAccountWhoMustChooseAPasswordAndWhoseScreenEndsWhenDeactivated() {
        Page accounts = as("admin1", "/pengguna");
        String username = "kasir-baru-" + System.nanoTime() % 100_000;
        accounts.locator("#new-user").click();
        accounts.locator("#u-username").fill(username);
        accounts.locator("#u-password").fill("kacamata-pertama-01");
        accounts.locator("#u-save").click();
        var row = accounts.locator("#user-rows tr").filter(new Locator.FilterOptions().setHasText(username));
        assertThat(row).containsText("Wajib ganti sandi");

        // the first login goes to choosing a password of one's own, then to the shop
        BrowserContext c = browser(true);
        Page kasir = c.newPage();
        kasir.navigate(cluster.web("/login"));
        kasir.getByLabel(Pattern.compile("Nama pengguna")).fill(username);
        kasir.getByLabel(Pattern.compile("Kata sandi")).fill("kacamata-pertama-01");
        kasir.locator("form button[type=submit]").click();
        kasir.waitForURL(cluster.web("/ganti-sandi"));
        kasir.locator("#current-password").fill("kacamata-pertama-01");
        kasir.locator("#new-password").fill("lensa-pilihan-sendiri");
        kasir.locator("#repeat-password").fill("lensa-pilihan-sendiri");
        kasir.locator("form button[type=submit]").first().click();
        kasir.waitForURL(cluster.web("/"));
        assertThat(kasir.locator("#connection")).hasAttribute("data-state", "connected");
        assertThat(row).not().containsText("Wajib ganti sandi");

        // deactivated: the open screen's stream ends within seconds and sends it to the login page
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Nonaktifkan")).click();
        assertThat(row).containsText("Nonaktif");
        kasir.waitForURL(Pattern.compile("/login"), new Page.WaitForURLOptions().setTimeout(10_000));
        // and the account can no longer log in (a 403 page, which the console reports as a failed load)
        BrowserContext refused = browser(false);
        Page again = refused.newPage();
        again.navigate(cluster.web("/login"));
        again.getByLabel(Pattern.compile("Nama pengguna")).fill(username);
        again.getByLabel(Pattern.compile("Kata sandi")).fill("lensa-pilihan-sendiri");
        again.locator("form button[type=submit]").click();
        assertThat(again.locator("#login-error")).containsText("dinonaktifkan");
    }
}
