package id.optikmelati.loadtest;

import id.optikmelati.contract.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The accounts a simulation's virtual users act as, each logged in once before the load starts, so a
 * run keeps to a deployed cluster's own limits: logins per address (30 a minute; a refusal is waited
 * out with its Retry-After) and streams per user (10 across the cluster, hence one account for every
 * ten screens).
 *
 * <p>With {@code -Daccounts=N} the kasir accounts {@code loadtest-kasir-1..N} (prefix
 * {@code accounts.prefix}) are used, spread over the chain's branches, and created first where
 * missing, by a super admin ({@code admin.user}, {@code admin.password}), with
 * {@code accounts.password} as their password; otherwise {@code cashiers.users} (the demo chain's
 * kasir1, kasir2, kasir3) with {@code password}.
 */
final class Accounts {

    /** What a virtual user needs of its account. */
    record Session(String username, String token, long branchId) {}

    static final String PASSWORD = System.getProperty("password", "melati-demo");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static List<Session> sessions;

    private Accounts() {}

    /** Logged in once per JVM (the simulations of one run share them). */
    static synchronized List<Session> sessions(String baseUrl) {
        if (sessions == null) {
            sessions = List.copyOf(prepare(baseUrl));
        }
        return sessions;
    }

    /**
     * Fails before any load is sent when {@code streams} screens would exceed the per-user stream limit
     * ({@code streams.per.account}, the cluster's optik.realtime.connections-per-user, 10) on these accounts.
     */
    static void requireRoomFor(int streams, List<Session> accounts) {
        int perAccount = Integer.getInteger("streams.per.account", 10);
        if (streams > perAccount * accounts.size()) {
            throw new IllegalStateException(streams + " screens over " + accounts.size() + " accounts exceed "
                    + perAccount + " streams per user (optik.realtime.connections-per-user); run with -Daccounts="
                    + ((streams + perAccount - 1) / perAccount) + " or more");
        }
    }

    private static List<Session> prepare(String baseUrl) {
        int count = Integer.getInteger("accounts", 0);
        if (count <= 0) {
            List<Session> demo = new ArrayList<>();
            for (String user : System.getProperty("cashiers.users", "kasir1,kasir2,kasir3").split(",")) {
                demo.add(login(baseUrl, user.trim(), PASSWORD));
            }
            return demo;
        }
        String prefix = System.getProperty("accounts.prefix", "loadtest-kasir-");
        String password = System.getProperty("accounts.password", "muat-uji-optik-melati");
        String admin = login(baseUrl, System.getProperty("admin.user", "superadmin"),
                System.getProperty("admin.password", PASSWORD)).token();
        Set<String> existing = new HashSet<>();
        send(baseUrl, "GET", "/api/users", admin, null, 200).forEach(u -> existing.add(u.get("username").asString()));
        List<Long> branches = new ArrayList<>();
        send(baseUrl, "GET", "/api/branches", admin, null, 200).forEach(b -> branches.add(b.get("id").asLong()));
        List<Session> accounts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String username = prefix + i;
            if (!existing.contains(username)) {
                // a new account chooses its own password at its first login, as a new kasir does
                String first = "pertama-" + UUID.randomUUID();
                Map<String, Object> user = new LinkedHashMap<>();
                user.put("username", username);
                user.put("role", "KASIR");
                user.put("branchId", branches.get((i - 1) % branches.size()));
                user.put("password", first);
                send(baseUrl, "POST", "/api/users", admin, user, 201);
                String token = login(baseUrl, username, first).token();
                send(baseUrl, "POST", "/api/auth/password", token,
                        Map.of("currentPassword", first, "newPassword", password), 204);
                System.out.println("[accounts] created " + username);
            }
            accounts.add(login(baseUrl, username, password));
        }
        return accounts;
    }

    /** One login; a refusal for the per-address limit is waited out (Retry-After) and tried again. */
    static Session login(String baseUrl, String username, String password) {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = raw(baseUrl, "POST", "/api/auth/token", null,
                    Map.of("username", username, "password", password));
            if (r.statusCode() == 200) {
                JsonNode body = EventCodec.mapper().readTree(r.body());
                JsonNode branch = body.get("user").get("branchId");
                return new Session(username, body.get("accessToken").asString(), branch.isNull() ? 0 : branch.asLong());
            }
            if (r.statusCode() != 429 || attempt >= 20) {
                throw new IllegalStateException("login of " + username + ": " + r.statusCode() + " " + r.body());
            }
            long wait = Math.min(60, r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(10L));
            System.out.println("[accounts] the login limit: waiting " + wait + " s before " + username);
            sleep(wait * 1000);
        }
    }

    private static JsonNode send(String baseUrl, String method, String path, String token, Object body, int expected) {
        HttpResponse<String> r = raw(baseUrl, method, path, token, body);
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? null : EventCodec.mapper().readTree(r.body());
    }

    private static HttpResponse<String> raw(String baseUrl, String method, String path, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(EventCodec.toJson(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + baseUrl + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
