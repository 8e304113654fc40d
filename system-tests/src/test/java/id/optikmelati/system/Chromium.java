package id.optikmelati.system;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven by Playwright: what the screens' tests share. A missing
 * browser fails the test class with the fix in its message (Playwright cannot download its own
 * here); the pages of a context leave screenshots in target/screenshots when it closes.
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Paths.get(System.getenv().getOrDefault("OPTIK_CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() throws IOException {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("no chromium at " + EXECUTABLE + "; install Debian's chromium"
                    + " (.ci/run does) or point OPTIK_CHROMIUM at one");
        }
        Files.createDirectories(SCREENSHOTS);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(List.of("--no-sandbox")));
        PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
        return new Chromium(playwright, browser);
    }

    /**
     * A browser profile of its own (its own cookies) at a laptop's size. What the pages' strict
     * Content-Security-Policy refused, and with {@code consoleErrors} every console error, goes to
     * {@code problems}, for the test to assert empty.
     */
    BrowserContext context(List<String> problems, boolean consoleErrors) {
        BrowserContext c = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
        c.setDefaultTimeout(10_000);
        c.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy") || (consoleErrors && m.type().equals("error"))) {
                problems.add(m.text());
            }
        });
        return c;
    }

    /** Leaves a screenshot of each of the context's pages, {@code name}-0.png, -1, ..., then closes it. */
    static void close(BrowserContext c, String name) {
        List<Page> pages = c.pages();
        for (int i = 0; i < pages.size(); i++) {
            pages.get(i).screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + "-" + i + ".png")));
        }
        c.close();
    }

    /**
     * A new page of {@code c} with {@code username} logged in (the demo password), unless the
     * context's cookie already is, on {@code path} once its live stream is connected.
     */
    static Page logIn(ShopCluster cluster, BrowserContext c, String username, String path) {
        Page page = open(cluster, c, username, path);
        assertThat(page.locator("#connection")).hasAttribute("data-state", "connected");
        return page;
    }

    /** Logged in as {@code username}, at {@code path}, whatever its stream's state. */
    static Page open(ShopCluster cluster, BrowserContext c, String username, String path) {
        Page page = c.newPage();
        page.navigate(cluster.web("/login"));
        if (page.url().contains("/login")) {
            page.getByLabel(Pattern.compile("Nama pengguna")).fill(username);
            page.getByLabel(Pattern.compile("Kata sandi")).fill("melati-demo");
            page.locator("form button[type=submit]").click();
            page.waitForURL(cluster.web("/"));
        }
        if (!path.equals("/")) {
            page.navigate(cluster.web(path));
        }
        return page;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
