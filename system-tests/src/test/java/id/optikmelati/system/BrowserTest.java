package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import id.optikmelati.testkit.ApiClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A test class of the screens in Chromium against a whole cluster of its own: each test opens its
 * browsers (contexts) here, and leaves a screenshot of every page they hold (named after the test)
 * and no console error or CSP violation that the test asked to watch for.
 */
abstract class BrowserTest {

    static Chromium chromium;
    static ShopCluster cluster;
    static ApiClient shop;

    final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<BrowserContext> contexts = new CopyOnWriteArrayList<>();
    private String testName;

    /** For the subclass's {@code @BeforeAll}. */
    static void start(ShopCluster.Options options) throws Exception {
        chromium = Chromium.launch();
        cluster = ShopCluster.start(options);
        shop = cluster.shop();
    }

    @AfterAll
    static void stopCluster() {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeBrowsers() {
        for (int i = 0; i < contexts.size(); i++) {
            Chromium.close(contexts.get(i), testName + "-" + i);
        }
        assertThat(problems).as("console errors and CSP violations").isEmpty();
    }

    /** A browser of its own (its own cookies); with {@code consoleErrors}, any console error fails the test. */
    BrowserContext browser(boolean consoleErrors) {
        BrowserContext c = chromium.context(problems, consoleErrors);
        contexts.add(c);
        return c;
    }
}
