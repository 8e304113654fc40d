package id.optikmelati.testkit;

import id.optikmelati.contract.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A tiny real-HTTP client for tests: JSON in, status and JSON out (and the raw body, for a page). */
public final class ApiClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public String login(String username, String password) {
        Response r = post("/api/auth/token", null, Map.of("username", username, "password", password));
        if (r.status() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + r.status() + " " + r.raw().body());
        }
        return r.body().get("accessToken").asString();
    }

    public Response get(String path, String token) {
        return get(path, token, Map.of());
    }

    public Response get(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, token).GET();
        headers.forEach(b::setHeader); // an Accept of the caller's replaces the JSON one
        return send(b);
    }

    public Response post(String path, String token, Object body) {
        return postRaw(path, token, body == null ? "" : EventCodec.toJson(body), Map.of());
    }

    /** A sale with a fresh Idempotency-Key. */
    public Response sell(String token, Object sale) {
        return postRaw("/api/sales", token, EventCodec.toJson(sale), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    /**
     * A glasses order of one unit of {@code productId} for {@code customer}, with a prescription, no
     * deposit, promised in three days; {@code branchId} null for the caller's own branch.
     */
    public Response orderGlasses(String token, Long branchId, String customer, long productId) {
        Map<String, Object> order = new java.util.HashMap<>(Map.of("customerName", customer,
                "customerPhone", "0812 3456 7890", "description", "Lensa antiradiasi",
                "prescription", Map.of("right", Map.of("sph", -1.25, "cyl", -0.5, "axis", 90),
                        "left", Map.of("sph", -1.0), "pd", 62),
                "items", java.util.List.of(Map.of("productId", productId, "quantity", 1)), "deposit", 0,
                "promisedDate", java.time.LocalDate.now(java.time.ZoneId.of("Asia/Jakarta")).plusDays(3).toString()));
        if (branchId != null) {
            order.put("branchId", branchId);
        }
        return post("/api/orders", token, order);
    }

    public Response postRaw(String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, token).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        return send(b);
    }

    public Response put(String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, token).PUT(HttpRequest.BodyPublishers.ofString(EventCodec.toJson(body)))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        return send(b);
    }

    /** A write that takes an Idempotency-Key (a sale's void or return), with a fresh one. */
    public Response postOnce(String path, String token, Object body) {
        return postRaw(path, token, EventCodec.toJson(body), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean json = r.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(false);
            JsonNode body = r.body() == null || r.body().isBlank() || !json ? null
                    : EventCodec.mapper().readTree(r.body());
            return new Response(r.statusCode(), body, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
