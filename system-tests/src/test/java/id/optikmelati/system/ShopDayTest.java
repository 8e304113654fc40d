package id.optikmelati.system;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Role;
import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.TestShop;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A shop day in real conditions, in a real browser against the whole system: many tabs of one
 * browser share one stream, an admin's hidden browser still gets notifications, a token shorter
 * than the test is renewed while the page stays live, and a node that crashes while a user holds
 * their whole stream limit on it does not lock them out. Tokens live 24 s here and the per-user
 * limit is the production one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopDayTest extends BrowserTest {

    /** Headless pages are always in view: the test says which are hidden, as a user switching windows would. */
    static final String VISIBILITY_AND_NOTIFICATIONS = """
            (() => {
              let hidden = false;
              Object.defineProperty(document, 'hidden', { get: () => hidden, configurable: true });
              Object.defineProperty(document, 'visibilityState', { get: () => hidden ? 'hidden' : 'visible', configurable: true });
              window.__setHidden = h => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };
              window.__notified = [];
              const Real = window.Notification;
              if (Real) {
                window.Notification = class extends Real {
                  constructor(title, options) {
                    window.__notified.push(title + ' | ' + (options && options.body));
                    super(title, options);
                  }
                };
              }
            })();
            """;

    static TestShop.Product frame;
    static long frame1;
    static long frame2;

    @BeforeAll
    static void start() throws Exception {
        start(ShopCluster.Options.defaults().args(
                List.of("--optik.auth.token-ttl=24s", "--optik.web.hidden-disconnect-after=3s"),
                List.of("--optik.realtime.connections-per-user=10")));
        frame = TestShop.product(1, 100_000, "Frame Hari Toko");
        frame1 = frame.id();
        frame2 = TestShop.product(2, 100_000, "Frame Hari Toko").id();
    }

    /** A browser of its own, with notifications allowed and visibility under the test's control. */
    private BrowserContext browser() {
        BrowserContext c = browser(false);
        c.grantPermissions(List.of("notifications"));
        c.addInitScript(VISIBILITY_AND_NOTIFICATIONS);
        return c;
    }

    /** {@code count} tabs of one browser on the dashboard, all live, as {@code username}. */
    private List<Page> tabs(BrowserContext c, String username, int count) {
        List<Page> tabs = new ArrayList<>();
        tabs.add(Chromium.logIn(cluster, c, username, "/"));
        for (int i = 1; i < count; i++) {
            Page p = c.newPage();
            p.navigate(cluster.web("/"));
            assertThat(p.locator("#connection")).hasAttribute("data-state", "connected");
            tabs.add(p);
        }
        return tabs;
    }

    private static boolean leads(Page tab) {
        return (Boolean) tab.evaluate("async () => (await import('/js/layout.js')).realtime.isLeader()");
    }

    /** The tab's own position in {@code branch}, as its stream left it. */
    private static long position(Page tab, long branch) {
        return ((Number) tab.evaluate("async b => (await import('/js/layout.js')).realtime.positions.get(b) ?? -1",
                (int) branch)).longValue();
    }

    private static void setHidden(List<Page> tabs, boolean hidden) {
        for (Page t : tabs) {
            t.evaluate("h => window.__setHidden(h)", hidden);
        }
    }

    private String sell(long branch) {
        var r = shop.sell(shop.login(branch == 1 ? "kasir1" : "kasir2", "melati-demo"), Map.of("paymentType", "UMUM",
                "items", List.of(Map.of("productId", branch == 1 ? frame1 : frame2, "quantity", 1))));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.body().get("invoiceNo").asString();
    }

    /** Open dashboard streams over every live realtime node, by the nodes' own metrics. */
    static int dashboardStreams() throws Exception {
        int open = 0;
        for (NodeProcess node : cluster.realtime) {
            if (node.isAlive()) {
                open += ShopCluster.openStreams(node, "/realtime/dashboard");
            }
        }
        return open;
    }

    private static void awaitStreams(int count) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> dashboardStreams() == count);
    }

    private static Locator saleRow(Page tab, String invoice) {
        return tab.locator("#latest-sales tr", new Page.LocatorOptions().setHasText(invoice));
    }

    @Test
    @Order(1)
    void tenTabsOfOneBrowserHoldOneStreamAndAllSeeEverySaleWhenTheLeaderTabCloses() throws Exception {
        List<Page> tabs = tabs(browser(), "admin1", 10);
        awaitStreams(1);

        String first = sell(1);
        for (Page t : tabs) {
            assertThat(saleRow(t, first)).hasCount(1);
        }
        List<Page> leaders = tabs.stream().filter(ShopDayTest::leads).toList();
        assertThat(leaders).hasSize(1);
        leaders.get(0).close();
        tabs.remove(leaders.get(0));

        String second = sell(1);
        for (Page t : tabs) {
            assertThat(saleRow(t, second)).hasCount(1);
            assertThat(saleRow(t, first)).hasCount(1);
        }
        assertThat(tabs.stream().filter(ShopDayTest::leads).count()).isEqualTo(1);
        awaitStreams(1);
        long end = TestShop.branchSeq(1);
        for (Page t : tabs) {
            assertThat(position(t, 1)).as("every tab is at the branch's last event").isEqualTo(end);
        }
    }

    @Test
    @Order(2)
    void anAdminWhoseTabsAreAllHiddenGetsOneBrowserNotificationAndAKasirsHiddenBrowserSavesItsStream()
            throws Exception {
        List<Page> admin = tabs(browser(), "admin1", 3);
        List<Page> kasir = tabs(browser(), "kasir1", 2);
        awaitStreams(2);

        setHidden(admin, true);
        setHidden(kasir, true);
        awaitStreams(1); // the kasir's browser closed its stream after 3 s hidden; the admin's kept it
        Thread.sleep(1000);
        assertThat(dashboardStreams()).isEqualTo(1);

        String sale = sell(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.stream()
                .mapToInt(t -> ((Number) t.evaluate("() => window.__notified.length")).intValue()).sum() == 1);
        String shown = admin.stream().map(t -> (String) t.evaluate("() => window.__notified.join('\\n')"))
                .filter(s -> !s.isEmpty()).findFirst().orElseThrow();
        assertThat(shown).contains(sale);
        Thread.sleep(1000);
        assertThat(admin.stream().mapToInt(t -> ((Number) t.evaluate("() => window.__notified.length")).intValue())
                .sum()).as("one notification, not one per tab").isEqualTo(1);

        setHidden(kasir.subList(1, 2), false); // a kasir's tab comes back: the stream resumes, losslessly
        awaitStreams(2);
        for (Page t : kasir) {
            assertThat(saleRow(t, sale)).hasCount(1);
        }
    }

    @Test
    @Order(3)
    void aTokenThatExpiresDuringTheDayIsRenewedAndThePageStaysLiveUntilLogout() throws Exception {
        BrowserContext c = browser();
        List<Page> tabs = tabs(c, "admin1", 2);
        String before = sell(1);
        assertThat(saleRow(tabs.get(0), before)).hasCount(1);
        long admin = TestShop.queryLong("select id from app_user where username = ?", "admin1");

        Thread.sleep(40_000); // past the 24 s token's end, and a renewal or two
        assertThat(TestShop.queryLong("select count(*) from login_session where user_id = ? and ended_at is null"
                + " and renewed_at > started_at + interval '10 seconds'", admin)).isPositive();
        String after = sell(1);
        for (Page t : tabs) {
            assertThat(saleRow(t, after)).hasCount(1);
            assertThat(saleRow(t, before)).hasCount(1);
            assertThat(t.url()).isEqualTo(cluster.web("/"));
            assertThat(t.locator("#connection")).hasAttribute("data-state", "connected");
            assertThat(position(t, 1)).isEqualTo(TestShop.branchSeq(1));
        }
        awaitStreams(1);

        tabs.get(1).locator("#user-menu").click();
        tabs.get(1).locator("form[action='/logout'] button").click();
        tabs.get(1).waitForURL(u -> u.contains("/login"));
        tabs.get(0).waitForURL(u -> u.contains("/login"), new Page.WaitForURLOptions().setTimeout(20_000));
        awaitStreams(0);
    }

    @Test
    @Order(4)
    void theIndicatorSaysConnectedAgainOnceTheNetworkIsBack() {
        BrowserContext c = browser();
        Page page = Chromium.logIn(cluster, c, "admin1", "/");
        c.setOffline(true);
        assertThat(page.locator("#connection")).hasAttribute("data-state", "offline");
        String sale = sell(1);
        c.setOffline(false);
        assertThat(saleRow(page, sale)).hasCount(1);
        assertThat(page.locator("#connection")).hasAttribute("data-state", "connected");
    }

    @Test
    @Order(4)
    void aStreamTheNodeRefusesSaysWhyAndConnectsOnceThereIsRoom() throws Exception {
        String admin2 = mint(shop.login("admin2", "melati-demo"));
        ScreenLedger ledger = new ScreenLedger(false);
        SseSwarm elsewhere = new SseSwarm(cluster.realtimeAddresses(), "/realtime/dashboard", true, ledger);
        boolean closed = false;
        try {
            elsewhere.open(10, i -> admin2, null); // the user's whole limit, on other screens
            await().atMost(Duration.ofSeconds(15)).until(() -> elsewhere.liveCount() == 10);
            Page page = Chromium.open(cluster, browser(), "admin2", "/");
            Locator indicator = page.locator("#connection");
            assertThat(indicator).hasAttribute("data-state", "refused");
            assertThat(indicator).containsText("Batas koneksi tercapai");
            assertThat(page.getByText("tutup tab lain").first()).isVisible();
            elsewhere.close();
            closed = true;
            assertThat(indicator).hasAttribute("data-state", "connected",
                    new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        } finally {
            if (!closed) {
                elsewhere.close();
            }
        }
    }

    @Test
    @Order(5)
    void afterABpjsSaleTheNextCustomerStartsAtUmum() {
        Page till = Chromium.logIn(cluster, browser(), "kasir1", "/penjualan/baru");
        till.locator("#pay-bpjs").check();
        till.locator("#barcode").fill(frame.kode());
        till.locator("#barcode").press("Enter");
        assertThat(till.locator("#cart")).containsText("Frame Hari Toko");
        till.locator("#save-sale").click();
        assertThat(till.locator(".swal2-popup")).isVisible();
        assertThat(till.locator("#pay-umum")).isChecked();
        assertThat(till.locator("#pay-bpjs")).not().isChecked();
    }

    @Test
    @Order(5)
    void aWholeSaleByKeyboardOnly() {
        Page till = Chromium.logIn(cluster, browser(), "kasir1", "/penjualan/baru");
        Locator barcode = till.locator("#barcode");
        assertThat(barcode).isFocused();
        till.keyboard().type(frame.kode());
        till.keyboard().press("Enter");
        assertThat(till.locator("#cart input[type=number]")).hasValue("1");
        till.keyboard().type("2*" + frame.kode()); // two more of it
        till.keyboard().press("Enter");
        assertThat(till.locator("#cart input[type=number]")).hasValue("3");
        till.keyboard().press("F8");
        assertThat(till.locator("#pay-bpjs")).isChecked();
        till.keyboard().press("F9");
        Locator dialog = till.locator(".swal2-popup");
        assertThat(dialog).containsText("Penjualan tersimpan");
        java.util.regex.Matcher invoice = java.util.regex.Pattern.compile("Faktur (\\S+),").matcher(dialog.innerText());
        org.assertj.core.api.Assertions.assertThat(invoice.find()).as(dialog.innerText()).isTrue();
        till.keyboard().press("Enter");
        assertThat(dialog).isHidden();
        assertThat(barcode).isFocused();
        till.keyboard().type(frame.kode()); // the next customer
        till.keyboard().press("Enter");
        assertThat(till.locator("#cart input[type=number]")).hasValue("1");
        assertThat(till.locator("#pay-umum")).isChecked();
        assertThat(TestShop.queryLong("select count(*) from sale s join sale_item i on i.sale_id = s.id"
                + " where s.invoice_no = ? and s.payment_type = 'BPJS' and i.quantity = 3", invoice.group(1)))
                .isEqualTo(1);
    }

    @Test
    @Order(5)
    void aCartLineWhoseProductSellsOutInAnotherTillIsMarkedAndSaveSaysWhy() {
        TestShop.Product last = TestShop.product(1, 2, "Frame Tinggal Dua");
        Page till = Chromium.logIn(cluster, browser(), "kasir1", "/penjualan/baru");
        till.locator("#barcode").fill("2*" + last.kode());
        till.locator("#barcode").press("Enter");
        Locator line = till.locator("#cart tr", new Page.LocatorOptions().setHasText("Frame Tinggal Dua"));
        assertThat(line).containsText("Stok 2");
        assertThat(till.locator("#save-sale")).isEnabled();

        var other = shop.sell(shop.login("admin1", "melati-demo"), Map.of("paymentType", "UMUM",
                "items", List.of(Map.of("productId", last.id(), "quantity", 1))));
        org.assertj.core.api.Assertions.assertThat(other.status()).isEqualTo(201);
        assertThat(line).hasClass(java.util.regex.Pattern.compile("over-stock"),
                new LocatorAssertions.HasClassOptions().setTimeout(1000));
        assertThat(line).containsText("tersisa 1");
        assertThat(till.locator("#save-sale")).isDisabled();
        assertThat(till.locator("#save-blocked")).containsText("Frame Tinggal Dua");

        till.locator("#cart input[type=number]").fill("1");
        till.locator("#cart input[type=number]").press("Enter");
        assertThat(till.locator("#save-sale")).isEnabled();
        assertThat(till.locator("#save-blocked")).isHidden();
    }

    @Test
    @Order(5)
    void onAPhoneAndATabletTheTillAndTheDashboardFitTheScreen() {
        sell(1); // a latest sale on the dashboard
        Page till = Chromium.logIn(cluster, browser(), "kasir1", "/penjualan/baru");
        for (int[] size : new int[][] {{390, 844}, {768, 1024}}) {
            till.setViewportSize(size[0], size[1]);
            till.navigate(cluster.web("/penjualan/baru"));
            till.locator("#barcode").fill(frame.kode());
            till.locator("#barcode").press("Enter");
            Locator line = till.locator("#cart tr").first();
            assertThat(line).isVisible();
            for (Locator cell : List.of(line.locator("td").nth(4), line.locator("button"))) {
                var box = cell.boundingBox();
                org.assertj.core.api.Assertions.assertThat(box.x + box.width).as("%s at %d px", cell, size[0])
                        .isLessThanOrEqualTo(size[0]);
            }
            assertNoHorizontalOverflow(till, size[0]);
            till.navigate(cluster.web("/"));
            assertThat(till.locator("#connection")).hasAttribute("data-state", "connected");
            assertNoHorizontalOverflow(till, size[0]);
            Locator latest = till.locator("#latest-sales tr").first(); // its amount and time in view
            for (Locator cell : List.of(latest.locator("td").nth(4), latest.locator("td").nth(5))) {
                var box = cell.boundingBox();
                org.assertj.core.api.Assertions.assertThat(box.x + box.width).as("%s at %d px", cell, size[0])
                        .isLessThanOrEqualTo(size[0]);
            }
        }
    }

    private static void assertNoHorizontalOverflow(Page page, int width) {
        Number documentWidth = (Number) page.evaluate("() => document.documentElement.scrollWidth");
        org.assertj.core.api.Assertions.assertThat(documentWidth.intValue()).as("%s is wider than %d px", page.url(), width)
                .isLessThanOrEqualTo(width);
    }

    @Test
    @Order(5)
    void voiceAlertsAreOffUntilSwitchedOnThenSpeakAnOrderReadyAndAreRemembered() {
        BrowserContext c = browser();
        c.addInitScript("window.__spoken = []; if (window.speechSynthesis) speechSynthesis.speak = u => "
                + "window.__spoken.push(u.lang + ' ' + u.text);");
        Page page = Chromium.logIn(cluster, c, "kasir1", "/pesanan");
        Locator voice = page.locator("#voice-toggle");
        assertThat(voice).hasAttribute("aria-pressed", "false");
        String kasir = shop.login("kasir1", "melati-demo");
        readyOrder(kasir, "Ibu Wulan");
        assertThat(page.getByText("Ibu Wulan").first()).isVisible();
        org.assertj.core.api.Assertions.assertThat(String.valueOf(page.evaluate("() => window.__spoken.join('|')")))
                .doesNotContain("Wulan");

        page.locator("#user-menu").click(); // it lives in the user's own menu
        voice.click();
        assertThat(voice).hasAttribute("aria-pressed", "true");
        readyOrder(kasir, "Bapak Joko");
        page.waitForFunction("() => window.__spoken.some(s => s.includes('Bapak Joko'))");
        org.assertj.core.api.Assertions.assertThat(String.valueOf(page.evaluate("() => window.__spoken.join('|')")))
                .contains("id-ID Pesanan Bapak Joko sudah siap");
        page.reload();
        assertThat(page.locator("#voice-toggle")).hasAttribute("aria-pressed", "true");
    }

    private static void readyOrder(String token, String customer) {
        var order = shop.orderGlasses(token, null, customer, TestShop.product(1, 5, "Frame Pesanan").id());
        org.assertj.core.api.Assertions.assertThat(order.status()).isEqualTo(201);
        var ready = shop.post("/api/orders/" + order.body().get("id").asLong() + "/status", token,
                Map.of("status", "READY"));
        org.assertj.core.api.Assertions.assertThat(ready.status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void anAdminReceivesAndCorrectsStockOnTheStockScreenAndTheTillSeesItLive() {
        TestShop.Product frame = TestShop.product(1, 3, "Frame Kiriman Baru");
        Page till = Chromium.logIn(cluster, browser(), "kasir1", "/penjualan/baru");
        till.locator("#barcode").fill(frame.kode());
        till.locator("#barcode").press("Enter");
        Locator line = till.locator("#cart tr", new Page.LocatorOptions().setHasText("Frame Kiriman Baru"));
        assertThat(line).containsText("Stok 3");
        assertThat(till.locator("button.adjust")).hasCount(0);

        Page admin = Chromium.logIn(cluster, browser(), "admin1", "/stok?q=" + frame.kode());
        Locator row = admin.locator("tbody[data-type] tr[data-product-id='" + frame.id() + "']");
        row.locator("button.adjust").click();
        admin.locator("#adjust-quantity").fill("5");
        assertThat(admin.locator("#adjust-change")).containsText("3 → 8");
        admin.locator("#adjust-reason").fill("Kiriman pemasok SJ-881");
        admin.locator("#adjust-save").click();
        assertThat(admin.locator("#adjust-modal")).isHidden();
        assertThat(row.locator(".stock-cell")).hasText("8");
        assertThat(line).containsText("Stok 8");

        row.locator("button.adjust").click(); // a count found two fewer
        admin.locator("#adjust-correction").check();
        admin.locator("#adjust-quantity").fill("6");
        assertThat(admin.locator("#adjust-change")).containsText("8 → 6 (-2)");
        admin.locator("#adjust-save").click();
        assertThat(admin.locator("#adjust-error")).containsText("alasan"); // no reason, nothing sent
        admin.locator("#adjust-reason").fill("Stock opname");
        admin.locator("#adjust-save").click();
        assertThat(admin.locator("#adjust-modal")).isHidden();
        assertThat(row.locator(".stock-cell")).hasText("6");
        assertThat(line).containsText("Stok 6");
        org.assertj.core.api.Assertions.assertThat(TestShop.queryLong(
                "select count(*) from stock_adjustment where product_id = ? and branch_id = 1", frame.id())).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThat(TestShop.queryLong(
                "select sum(delta) from stock_adjustment where product_id = ? and branch_id = 1", frame.id())).isEqualTo(3);
    }

    @Test
    @Order(5)
    void aProductBecomingCriticalIsAToastAtTheTillAndAPopupOnlyForTheAdmin() {
        TestShop.Product frame = TestShop.product(1, 6, "Frame Hampir Habis");
        Page till = Chromium.logIn(cluster, browser(), "kasir1", "/penjualan/baru");
        Page admin = Chromium.logIn(cluster, browser(), "admin1", "/");
        var sold = shop.sell(shop.login("admin1", "melati-demo"), Map.of("paymentType", "UMUM",
                "items", List.of(Map.of("productId", frame.id(), "quantity", 1)))); // 6 -> 5: critical
        org.assertj.core.api.Assertions.assertThat(sold.status()).isEqualTo(201);
        assertThat(till.locator("#toasts")).containsText("Frame Hampir Habis");
        assertThat(till.locator(".swal2-popup")).hasCount(0); // the cashier's sale goes on
        assertThat(admin.locator(".swal2-popup")).containsText("Frame Hampir Habis");
    }

    @Test
    @Order(6)
    void aNodeThatCrashesWhileAUserHoldsTheirWholeLimitOnItHasThemLiveOnAnotherWithinTenSeconds() throws Exception {
        String kasir1 = mint(shop.login("kasir1", "melati-demo"));
        String kasir2 = mint(shop.login("kasir2", "melati-demo"));
        ScreenLedger ledger = new ScreenLedger(false);
        int count = 20; // even: kasir1 on node 0 (its whole limit of 10), odd: kasir2 on node 1
        try (SseSwarm swarm = new SseSwarm(cluster.realtimeAddresses(), "/realtime/dashboard", true, ledger)) {
            swarm.open(count, i -> i % 2 == 0 ? kasir1 : kasir2, null);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> swarm.liveCount() == count);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not all screens live; statuses " + swarm.clients().stream()
                        .map(c -> c.index + ":" + c.status() + "x" + c.connects()).toList(), e);
            }
            sell(1);
            sell(2);
            NodeProcess victim = cluster.realtime.get(0);
            victim.kill();
            long killed = System.nanoTime();
            sell(1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> swarm.liveCount() == count);
            long back = Duration.ofNanos(System.nanoTime() - killed).toMillis();
            sell(1);
            sell(2);
            ledger.awaitCaughtUp(count, i -> List.of(i % 2 == 0 ? 1L : 2L),
                    Map.of(1L, TestShop.branchSeq(1), 2L, TestShop.branchSeq(2)), Duration.ofSeconds(15));
            assertThat(ledger.violations).isEmpty();
            for (int i = 0; i < count; i++) {
                assertThat(ledger.screen(i).resets).as("screen %d got a reset", i).isZero();
            }
            System.out.println("all 10 streams of the crashed node's user were live elsewhere after " + back + " ms");
            victim.start();
        }
    }

    /** The same user's token, good for an hour: the swarm outlives the cluster's 24 s tokens. */
    private static String mint(String token) {
        var claims = EventCodec.mapper().readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
        Long branch = claims.has("branch") ? claims.get("branch").asLong() : null;
        return new AccessTokens(ShopCluster.SECRET, Clock.systemUTC()).issue(Long.parseLong(claims.get("sub").asString()),
                claims.get("usr").asString(), Role.valueOf(claims.get("role").asString()), branch, Duration.ofHours(1));
    }
}
