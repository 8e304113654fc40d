package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.EventCodec;

/** What a browser gets: security headers, the session cookie's flags, CSRF on every POST with the cookie. */
class WebSecurityTest extends ApiTestBase {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicyAndNoInlineScriptOrStyle() throws Exception {
        HttpResponse<String> login = get("/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'",
                "connect-src 'self' http://127.0.0.1:8081 http://127.0.0.1:8082");
        assertThat(csp).contains("style-src 'self';").doesNotContain("unsafe");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        // every <script> of every page is a file or a non-executable JSON data block, and no page
        // styles anything inline
        String cookie = sessionCookie("admin1");
        for (String page : List.of("/", "/stok", "/penjualan/baru", "/pesanan", "/laporan", "/login")) {
            String html = get(page, cookie).body();
            Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
            while (scripts.find()) {
                assertThat(scripts.group(1)).as(page).matches(".*(src=|type=\"application/json\").*");
            }
            assertThat(html).as(page).doesNotContainPattern("<style|\\sstyle=");
        }
    }

    @Test
    void aPageWithoutASessionGoesToTheLoginFormAndAnApiCallGets401() throws Exception {
        HttpResponse<String> page = get("/stok", null);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        HttpResponse<String> api = get("/api/products", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void aPostWithTheSessionCookieNeedsTheCsrfToken() throws Exception {
        long product = newProduct(ProductType.ACCESSORY, 20_000, java.util.Map.of(1L, 10));
        String session = sessionCookie("kasir1");
        HttpResponse<String> page = get("/penjualan/baru", session);
        String xsrf = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        String body = EventCodec.toJson(sale(null, "UMUM", product, 1));

        HttpResponse<String> forged = post("/api/sales", session, null, body); // a cross-site form would look like this
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(stockOf(product, 1)).isEqualTo(10);

        HttpResponse<String> fromThePage = post("/api/sales", session + "; XSRF-TOKEN=" + xsrf, xsrf, body);
        assertThat(fromThePage.statusCode()).isEqualTo(201);
        assertThat(stockOf(product, 1)).isEqualTo(9);

        HttpResponse<String> logoutForged = post("/logout", session, null, "");
        assertThat(logoutForged.statusCode()).isEqualTo(403);
    }

    @Test
    void theCsrfTokenAPageWasRenderedWithStaysGoodWhileThePageMakesItsCalls() throws Exception {
        String session = sessionCookie("admin1");
        HttpResponse<String> page = get("/", session);
        String xsrf = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        assertThat(page.body()).contains("name=\"_csrf\" value=\"" + xsrf + "\"");
        String cookies = session + "; XSRF-TOKEN=" + xsrf;
        for (String call : List.of("/api/screen", "/api/branches", "/api/products")) {
            HttpResponse<String> r = get(call, cookies);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().allValues("Set-Cookie")).as("%s rotates no CSRF token", call)
                    .noneMatch(c -> c.startsWith("XSRF-TOKEN="));
        }
        // the logout form, rendered with the page, still works after them
        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + xsrf)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location").orElseThrow()).contains("/login?keluar");
    }

    @Test
    void theLoginFormSetsAnHttpOnlySameSiteSessionCookie() throws Exception {
        HttpResponse<String> form = get("/login", null);
        String xsrf = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=kasir1&password=melati-demo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).as("login CSRF").isEqualTo(403);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "XSRF-TOKEN=" + xsrf)
                .POST(HttpRequest.BodyPublishers.ofString("username=kasir1&password=melati-demo&_csrf=" + xsrf)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(302);
        String cookie = ok.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("optik_token="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/");
    }

    @Test
    void aCsrfTokenIsBoundToItsLoginSessionSoAPlantedCookieOrAnotherSessionsTokenIsRefused() throws Exception {
        long product = newProduct(ProductType.ACCESSORY, 20_000, java.util.Map.of(1L, 10));
        String body = EventCodec.toJson(sale(null, "UMUM", product, 1));
        String session = sessionCookie("kasir1");
        String own = xsrfOf(get("/penjualan/baru", session));

        // a cookie planted from a sibling subdomain, with the same value in the header
        assertThat(post("/api/sales", session + "; XSRF-TOKEN=abc", "abc", body).statusCode()).isEqualTo(403);
        // the token of another login of the same user, valid there, is not valid here
        String otherSession = sessionCookie("kasir1");
        String others = xsrfOf(get("/penjualan/baru", otherSession));
        assertThat(others).isNotEqualTo(own);
        assertThat(post("/api/sales", session + "; XSRF-TOKEN=" + others, others, body).statusCode()).isEqualTo(403);
        assertThat(stockOf(product, 1)).isEqualTo(10);

        assertThat(post("/api/sales", session + "; XSRF-TOKEN=" + own, own, body).statusCode()).isEqualTo(201);
        // and only the header counts: a stale cookie beside the session's own token still works
        assertThat(post("/api/sales", session + "; XSRF-TOKEN=abc", own, body).statusCode()).isEqualTo(201);
        assertThat(stockOf(product, 1)).isEqualTo(8);

        // before login, too: the login form refuses a planted pair
        HttpResponse<String> planted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "XSRF-TOKEN=abc")
                .POST(HttpRequest.BodyPublishers.ofString("username=kasir1&password=melati-demo&_csrf=abc")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(planted.statusCode()).isEqualTo(403);
    }

    private static String xsrfOf(HttpResponse<String> page) {
        return page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
    }

    private HttpResponse<String> post(String path, String cookie, String xsrf, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (xsrf != null) {
            b.header("X-XSRF-TOKEN", xsrf);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String sessionCookie(String username) {
        return "optik_token=" + token(username);
    }
}
