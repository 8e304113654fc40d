package id.optikmelati.system;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.TestShop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The shop's screens in a real browser (Debian's chromium, headless) against the whole system:
 * API and two realtime nodes as processes, real PostgreSQL and Redis. Each test leaves a
 * screenshot in target/screenshots.
 */
class WebUiTest extends BrowserTest {

    /** How long a live change may take to show before the test fails; generous for a loaded CI machine. */
    static final LocatorAssertions.HasTextOptions LIVE = new LocatorAssertions.HasTextOptions().setTimeout(10_000);

    BrowserContext context;
    String testName;

    @BeforeAll
    static void start() throws Exception {
        start(ShopCluster.Options.defaults());
    }

    /** What the browser refused under the pages' Content-Security-Policy, in this test's main context. */
    private final List<String> cspViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void newContext(TestInfo info) {
        context = chromium.context(cspViolations, false);
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeContext() {
        Chromium.close(context, testName);
        // No inline style or script anywhere, so the strict policy (style-src 'self') breaks nothing.
        assertThat(cspViolations).isEmpty();
    }

    private Page loggedIn(BrowserContext ctx, String username, String path) {
        return Chromium.logIn(cluster, ctx, username, path);
    }

    @Test
    void aSaleInOneTabShowsItsNewStockInTheOtherTabsOpenProductModal() {
        TestShop.Product frame = TestShop.product(1, 12, "Frame Uji Dua Tab");
        Page tab1 = loggedIn(context, "kasir1", "/penjualan/baru");
        tab1.locator("#open-products").click();
        tab1.locator("#product-search").fill(frame.kode());
        Locator row = tab1.locator("#product-rows tr[data-product-id='" + frame.id() + "']");
        assertThat(row.locator(".stock-cell")).hasText("12");
        assertThat(row).hasClass(Pattern.compile("stock-normal"));

        Page tab2 = context.newPage(); // a second tab of the same browser (same session)
        // Hold the product list back, so the scans below come before it, as a fast scanner's may.
        List<Route> heldBack = new ArrayList<>();
        tab2.route("**/api/products*", heldBack::add);
        tab2.navigate(cluster.web("/penjualan/baru"));
        Locator barcode = tab2.getByLabel("Kode / barcode");
        barcode.fill(frame.kode());
        barcode.press("Enter"); // as a scanner does
        barcode.fill(frame.kode());
        barcode.press("Enter");
        assertThat(tab2.locator(".toast.text-bg-danger")).hasCount(0); // no "code not found"
        assertThat(heldBack).as("the page asked for its product list").isNotEmpty();
        heldBack.forEach(Route::resume);
        assertThat(tab2.locator("#cart tr[data-product-id='" + frame.id() + "'] input")).hasValue("2");
        tab2.locator("#save-sale").click();
        assertThat(tab2.locator(".swal2-popup")).containsText("Penjualan tersimpan");

        long start = System.nanoTime();
        assertThat(row.locator(".stock-cell")).hasText("10", LIVE);
        long shownAfterMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(row).hasClass(Pattern.compile("stock-medium"));
        System.out.println("stock shown in the other tab " + shownAfterMs + " ms after the sale was saved");
        tab1.bringToFront();
    }

    @Test
    void aBranchListThatArrivesAfterTheNextBranchWasChosenIsNotShown() {
        TestShop.Product frame = TestShop.product(2, 7, "Frame Uji Ganti Cabang"); // 7 in branch 2, 0 in 1 and 3
        TestShop.update("update stock set quantity = 4 where product_id = ? and branch_id = 3", frame.id());
        Page page = loggedIn(context, "superadmin", "/penjualan/baru");
        page.locator("#open-products").click();
        page.locator("#product-search").fill(frame.kode());
        Locator stock = page.locator("#product-rows tr[data-product-id='" + frame.id() + "'] .stock-cell");
        assertThat(page.locator("#branch-select")).hasValue("1");
        assertThat(stock).hasText("0");

        // Branch 2's list is held back until branch 3's is in, as on a slow line when a super
        // admin clicks through the branches.
        List<Route> heldBack = new ArrayList<>();
        page.route("**/api/products?branchId=2", heldBack::add);
        Locator branch = page.getByLabel("Cabang", new Page.GetByLabelOptions().setExact(true));
        branch.selectOption("2");
        branch.selectOption("3");
        assertThat(stock).hasText("4");
        assertThat(heldBack).hasSize(1);
        page.waitForResponse("**/api/products?branchId=2", () -> heldBack.get(0).resume());
        page.evaluate("() => new Promise(done => setTimeout(done, 200))"); // time to show it, if the page would

        assertThat(page.locator("#branch-select")).hasValue("3");
        assertThat(stock).hasText("4"); // not branch 2's 7
    }

    @Test
    void aSaleThatBringsAProductToLowStockRaisesTheBadgeTheRedRowAndThePopup() {
        TestShop.Product frame = TestShop.product(1, 6, "Frame Uji Stok Kritis");
        Page page = loggedIn(context, "admin1", "/stok?q=" + frame.kode());
        Locator row = page.locator("tbody[data-type='FRAME'] tr[data-product-id='" + frame.id() + "']");
        assertThat(row.locator(".stock-cell")).hasText("6");
        assertThat(row).hasClass(Pattern.compile("stock-medium"));
        int badgeBefore = Integer.parseInt(page.locator("#low-stock-badge").textContent().trim());

        sell("kasir1", frame.id(), 1);

        assertThat(row.locator(".stock-cell")).hasText("5", LIVE);
        assertThat(row).hasClass(Pattern.compile("stock-low"));
        assertThat(page.locator("#low-stock-badge")).hasText(String.valueOf(badgeBefore + 1));
        assertThat(page.locator(".swal2-popup")).containsText("Frame Uji Stok Kritis");
        assertThat(page.locator(".swal2-popup")).containsText("tinggal 5");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve(testName + "-popup.png")));
        page.locator(".swal2-confirm").click();
        page.locator("#low-stock-toggle").click();
        assertThat(page.locator("#low-stock-list")).containsText("Frame Uji Stok Kritis");
    }

    @Test
    void whenTheRealtimeNodeOfAPageStopsItReconnectsToTheOtherAndMissesNoSale() throws Exception {
        Page page = loggedIn(context, "admin1", "/");
        NodeProcess serving = servingNode();
        TestShop.Product frame = TestShop.product(1, 50, "Frame Uji Failover");
        // Every state the indicator passes through, however briefly.
        page.evaluate("() => { const c = document.getElementById('connection'); window.connectionStates = [];"
                + " new MutationObserver(() => window.connectionStates.push(c.dataset.state))"
                + ".observe(c, { attributes: true, attributeFilter: ['data-state'] }); }");
        try {
            serving.kill();
            String invoice = sell("kasir1", frame.id(), 1); // made while the page has no stream
            assertThat(page.locator("#latest-sales")).containsText(invoice);
            assertThat(page.locator("#connection")).hasAttribute("data-state", "connected");
            @SuppressWarnings("unchecked")
            List<String> states = (List<String>) page.evaluate("() => window.connectionStates");
            assertThat(states).contains("reconnecting").last().isEqualTo("connected");
            assertThat(servingNode()).isNotSameAs(serving);
            long omset = shop.get("/api/omset", shop.login("admin1", "melati-demo")).body().get("total").asLong();
            assertThat(page.locator("#omset-total")).hasText(rupiah(omset));
        } finally {
            serving.start();
        }
    }

    @Test
    void theDashboardOmsetUpdatesLiveInBranchOneAndABranchTwoKasirDoesNotSeeIt() {
        Page branch1 = loggedIn(context, "kasir1", "/");
        BrowserContext other = chromium.context(cspViolations, false);
        try {
            Page branch2 = loggedIn(other, "kasir2", "/");
            String branch2Before = branch2.locator("#omset-total").textContent();
            TestShop.Product inBranch1 = TestShop.product(1, 50, "Frame Uji Omset Cabang 1");
            TestShop.Product inBranch2 = TestShop.product(2, 50, "Frame Uji Omset Cabang 2");

            String invoice1 = sell("kasir1", inBranch1.id(), 2);
            long omset1 = shop.get("/api/omset", shop.login("kasir1", "melati-demo")).body().get("total").asLong();
            assertThat(branch1.locator("#omset-total")).hasText(rupiah(omset1), LIVE);
            assertThat(branch1.locator("#latest-sales")).containsText(invoice1);

            // A branch 2 sale afterwards marks the point by which branch 1's would have arrived too.
            String invoice2 = sell("kasir2", inBranch2.id(), 1);
            assertThat(branch2.locator("#latest-sales")).containsText(invoice2);
            assertThat(branch2.locator("#latest-sales")).not().containsText(invoice1);
            assertThat(branch2.locator("#omset-total")).not().hasText(branch2Before);
            long omset2 = shop.get("/api/omset", shop.login("kasir2", "melati-demo")).body().get("total").asLong();
            assertThat(branch2.locator("#omset-total")).hasText(rupiah(omset2));
            branch2.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve(testName + "-branch2.png")));
        } finally {
            other.close();
        }
    }

    @Test
    void aSuperAdminSeesACardPerBranchAndTheChainTotal() {
        sell("kasir2", TestShop.product(2, 20, "Frame Uji Super Admin").id(), 1);
        Page page = loggedIn(context, "superadmin", "/");
        assertThat(page.locator("#branch-cards .branch-card")).hasCount(3);
        assertThat(page.locator("#branch-cards")).containsText("Cabang Utama");
        String token = shop.login("superadmin", "melati-demo");
        long chain = shop.get("/api/omset", token).body().get("total").asLong();
        assertThat(page.locator("#omset-total")).hasText(rupiah(chain));
        sell("kasir1", TestShop.product(1, 20, "Frame Uji Super Admin 2").id(), 3);
        long after = shop.get("/api/omset", token).body().get("total").asLong();
        assertThat(after).isGreaterThan(chain);
        assertThat(page.locator("#omset-total")).hasText(rupiah(after), LIVE);
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("dashboard-superadmin.png")));
    }

    @Test
    void theReportsPageShowsChartsAndTablesToAdminsOnly() {
        sell("kasir1", TestShop.product(1, 30, "Frame Uji Laporan").id(), 2);
        Page page = loggedIn(context, "superadmin", "/laporan");
        assertThat(page.locator("#rows-branches tr")).hasCount(3);
        assertThat(page.locator("#rows-branches")).containsText("Cabang Utama");
        assertThat(page.locator("#forecast-method")).containsText("rata-rata penjualan harian 28 hari");
        assertThat(page.locator("#rows-movement")).containsText("Frame Uji Laporan");
        assertThat((Boolean) page.evaluate("() => !!window.Chart && !!Chart.getChart('chart-branches')")).isTrue();
        // Indonesian figures: Rp on the omset axis, comma decimals, the period shown and in the fields
        assertThat(String.valueOf(page.evaluate("() => Chart.getChart('chart-branches').scales.y.ticks.map(t => t.label)")))
                .contains("Rp").doesNotContainPattern("\\d,\\d{3}");
        assertThat(page.locator("#rows-forecast")).containsText(Pattern.compile("\\d,\\d"));
        assertThat(page.locator("#period")).containsText("Periode:");
        assertThat(page.locator("#from")).not().hasValue("");
        assertThat(page.locator("#to")).not().hasValue("");
        assertThat(page.locator("a.csv[data-report=low-stock]")).hasCount(1);
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("reports-superadmin.png")));
        Page english = loggedIn(chromium.context(cspViolations, false), "superadmin", "/laporan?lang=en");
        assertThat(english.locator("#period")).containsText("Period:");
        assertThat(english.locator("#rows-forecast")).containsText(Pattern.compile("\\d\\.\\d"));
        english.context().close();
        // A kasir gets no report page at all (403, a page that says so), not empty cards and live CSV links.
        Page kasir = loggedIn(chromium.context(cspViolations, false), "kasir1", "/");
        com.microsoft.playwright.Response denied = kasir.navigate(cluster.web("/laporan"));
        org.assertj.core.api.Assertions.assertThat(denied.status()).isEqualTo(403);
        assertThat(kasir.locator("#forbidden")).containsText("Tidak untuk akun ini");
        assertThat(kasir.locator("#rows-branches, a.csv")).hasCount(0);
        kasir.context().close();
    }

    @Test
    void pagesAreIndonesianByDefaultEnglishOnRequestAndLoginFailsClearly() {
        Page page = context.newPage();
        page.navigate(cluster.web("/"));
        assertThat(page).hasURL(Pattern.compile("/login$"));
        page.getByLabel("Nama pengguna").fill("kasir1");
        page.getByLabel("Kata sandi").fill("salah");
        page.locator("form button[type=submit]").click();
        assertThat(page.locator("#login-error")).hasText("Nama pengguna atau kata sandi salah.");
        page.navigate(cluster.web("/login?lang=en"));
        assertThat(page.locator("label[for=username]")).hasText("Username");
        page.getByLabel("Username").fill("kasir1");
        page.getByLabel("Password").fill("melati-demo");
        page.locator("form button[type=submit]").click();
        assertThat(page.locator("h1")).hasText("Dashboard");
        assertThat(page.locator("#connection")).hasAttribute("data-state", "connected");
        assertThat(page.locator("#connection")).containsText("Connected");
    }

    private String sell(String username, long productId, int quantity) {
        var r = shop.sell(shop.login(username, "melati-demo"), Map.of("paymentType", "UMUM",
                "items", List.of(Map.of("productId", productId, "quantity", quantity))));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.body().get("invoiceNo").asString();
    }

    /** The realtime node that holds the (one) open dashboard stream, by its own metrics. */
    private static NodeProcess servingNode() throws Exception {
        for (NodeProcess node : cluster.realtime) {
            if (node.isAlive() && ShopCluster.openStreams(node, "/realtime/dashboard") >= 1) {
                return node;
            }
        }
        throw new AssertionError("no realtime node reports an open dashboard stream");
    }

    private static String rupiah(long amount) {
        return "Rp " + String.format(java.util.Locale.ROOT, "%,d", amount).replace(',', '.');
    }
}
