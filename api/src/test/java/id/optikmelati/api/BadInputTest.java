package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ProductType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad requests get a clear problem+json 4xx and change nothing. */
class BadInputTest extends ApiTestBase {

    /** The sales and outbox events stored so far: a refused request adds to neither. */
    private List<Long> writes() {
        return List.of(count("select count(*) from sale"), count("select count(*) from outbox_event"));
    }

    @Test
    void aSalesValidationErrorIsInIndonesianUnlessTheCallerAsksForEnglish() {
        long product = newProduct(ProductType.LENS, 100_000, Map.of(1L, 10));
        String token = token("kasir1");
        String body = "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":0}]}";
        var id = api().postRaw("/api/sales", token, body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(id.status()).isEqualTo(400);
        assertThat(id.body().get("title").asString()).isEqualTo("Data tidak valid");
        assertThat(id.body().get("detail").asString()).isEqualTo("Periksa kembali isian: items[0].quantity: paling sedikit 1");
        var en = api().postRaw("/api/sales", token, body, Map.of("Idempotency-Key", UUID.randomUUID().toString(),
                "Accept-Language", "en"));
        assertThat(en.body().get("detail").asString()).isEqualTo("Please check: items[0].quantity: must be at least 1");
        var blank = api().postRaw("/api/sales", token, "{\"items\":[]}", Map.of("Idempotency-Key",
                UUID.randomUUID().toString()));
        assertThat(blank.body().get("errors").valueStream().map(e -> e.asString()).toList())
                .containsExactlyInAnyOrder("items: tidak boleh kosong", "paymentType: wajib diisi");
    }

    @Test
    void badSalesAreRefusedAndWriteNothing() {
        long product = newProduct(ProductType.LENS, 100_000, Map.of(1L, 10));
        String token = token("kasir1");
        List<Long> written = writes();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String[] bodies = {
            "{not json",
            "[]",
            "{\"paymentType\":\"CASH\",\"items\":[{\"productId\":" + product + ",\"quantity\":1}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":\"abc\",\"quantity\":1}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[]}",
            "{\"paymentType\":\"UMUM\"}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":0}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":-3}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":1001}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":99999999999}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":600},"
                + "{\"productId\":" + product + ",\"quantity\":600}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":999999999,\"quantity\":1}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":-1,\"quantity\":1}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[null]}",
        };
        for (String body : bodies) {
            var r = api().postRaw("/api/sales", token, body, key);
            assertThat(r.status()).as(body).isBetween(400, 499);
            assertThat(r.contentType()).as(body).startsWith("application/problem+json");
            assertThat(r.body().get("detail").asString()).as(body).isNotBlank();
        }
        var noKey = api().postRaw("/api/sales", token,
                "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":1}]}", Map.of());
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.body().get("title").asString()).contains("Idempotency-Key");

        assertThat(writes()).as("sales, outbox events").isEqualTo(written);
        assertThat(stockOf(product, 1)).isEqualTo(10);
    }

    @Test
    void looseJsonIsRefusedNotGuessedAtAndWritesNothing() {
        long product = newProduct(ProductType.LENS, 100_000, Map.of(1L, 10));
        String token = token("kasir1");
        List<Long> written = writes();
        String item = "{\"productId\":" + product + ",\"quantity\":1}";
        String[] bodies = {
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":1.5}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":" + product + ",\"quantity\":\"1\"}]}",
            "{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}",
            "{\"paymentType\":1,\"items\":[" + item + "]}",
            "{\"paymentType\":\"UMUM\",\"customerName\":123,\"items\":[" + item + "]}",
            "{\"paymentType\":\"UMUM\",\"customerName\":true,\"items\":[" + item + "]}",
        };
        for (String body : bodies) {
            var r = api().postRaw("/api/sales", token, body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.contentType()).as(body).startsWith("application/problem+json");
            assertThat(r.raw().body()).as(body).doesNotContainPattern("java\\.|springframework|tools\\.jackson");
        }
        var choice = api().postRaw("/api/sales", token, "{\"paymentType\":1,\"items\":[" + item + "]}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(choice.body().get("field").asString()).isEqualTo("paymentType");
        var delta = api().postRaw("/api/products/" + product + "/stock-adjustments", token("admin1"),
                "{\"delta\":1.5,\"reason\":\"koreksi\"}", Map.of());
        assertThat(delta.status()).isEqualTo(400);
        assertThat(writes()).as("sales, outbox events").isEqualTo(written);
        assertThat(stockOf(product, 1)).isEqualTo(10);
    }

    @Test
    void controlCharactersLeaveTextBeforeValidationSoNothingButThemIsBlank() {
        long product = newProduct(ProductType.ACCESSORY, 20_000, Map.of(1L, 10));
        String admin = token("admin1");
        long orders = count("select count(*) from customer_order");
        var blank = api().orderGlasses(admin, null, "\u0000\u0007", product);
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.contentType()).startsWith("application/problem+json");
        var nul = api().post("/api/products/" + product + "/stock-adjustments", admin,
                Map.of("delta", 1, "reason", "\u0000"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(count("select count(*) from customer_order")).isEqualTo(orders);
        assertThat(stockOf(product, 1)).isEqualTo(10);

        var kept = api().orderGlasses(admin, null, "Ibu\u0000 Sari\u001b", product);
        assertThat(kept.status()).isEqualTo(201);
        assertThat(kept.body().get("customerName").asString()).isEqualTo("Ibu Sari");
    }

    @Test
    void aQueryStringThatDoesNotDecodeIsABadRequest() throws Exception {
        String token = token("kasir1");
        for (String path : java.util.List.of("/api/sales?limit=%ZZ", "/api/products?q=%E0%A4%A")) {
            // sent as raw bytes: java.net.URI, like any careful client, would refuse to build it
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + token + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(answer).as(path).startsWith("HTTP/1.1 400").containsIgnoringCase("application/problem+json")
                        .contains("bad-encoding").doesNotContainIgnoringCase("tomcat");
            }
        }
    }

    @Test
    void whatTomcatAndTheFirewallRefuseIsProblemJsonInTheShopsWordsToo() throws Exception {
        String auth = "Authorization: Bearer " + token("kasir1") + "\r\n";
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("GET /api/products%2F1 HTTP/1.1\r\nHost: x\r\n\r\n", "400|bad-request");
        expected.put("GET /api/..;/products HTTP/1.1\r\nHost: x\r\n\r\n", "400|bad-path|Alamat tidak valid");
        expected.put("GARBAGE\r\n\r\n", "400|bad-request");
        expected.put("GET /api/products HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n", "400|bad-request");
        expected.put("GET /api/tidak-ada HTTP/1.1\r\nHost: x\r\n" + auth + "Accept-Language: en\r\n\r\n", "404|not-found|Not found");
        expected.put("GET /actuator/tidak-ada HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", "404|not-found|Tidak ditemukan");
        expected.put("PUT /api/sales HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 0\r\n\r\n", "405|method-not-allowed");
        expected.put("POST /api/products HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: text/plain\r\nContent-Length: 1\r\n\r\nx",
                "415|unsupported-media-type|application/json");
        for (var e : expected.entrySet()) {
            String[] parts = e.getValue().split("\\|");
            String what = e.getKey().substring(0, Math.min(40, e.getKey().length()));
            String answer = rawExchange(e.getKey());
            assertThat(answer).as(what).startsWith("HTTP/1.1 " + parts[0])
                    .containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"type\":\"https://optikmelati.id/problems/" + parts[1] + "\"")
                    .doesNotContainPattern("java\\.|springframework|[Tt]omcat|<html|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            for (int i = 2; i < parts.length; i++) {
                assertThat(answer).as(what).contains(parts[i]);
            }
        }
    }

    /** One request on a fresh socket, as bytes no careful client would send; the answer until the server closes. */
    private String rawExchange(String request) throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            var got = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(got);
            } catch (java.net.SocketException reset) {
                // a server that closes on unread input resets: what came before is the answer
            }
            return got.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void anIdIsPlainAsciiDigitsNotHexNotAnotherScriptNotPadded() {
        String admin = token("superadmin");
        long users = count("select count(*) from app_user where active");
        for (String id : List.of("0x10", "%D9%A3", "+1", "1%20", "%201", "1e1", "1.0")) {
            var r = api().post("/api/users/" + id + "/deactivate", admin, Map.of());
            assertThat(r.status()).as(id + " " + r.raw().body()).isEqualTo(400);
            assertThat(r.body().get("type").asString()).as(id).endsWith("/bad-parameter");
            var q = api().get("/api/sales?limit=" + id, admin);
            assertThat(q.status()).as(id).isEqualTo(400);
        }
        assertThat(count("select count(*) from app_user where active")).isEqualTo(users);
    }

    @Test
    void aParameterThatDoesNotConvertNamesTheFieldNotItsJavaTypeNorTheWholeInput() {
        String junk = "x".repeat(5000);
        var r = api().get("/api/reports/branches?from=" + junk, token("superadmin"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("detail").asString()).contains("from").doesNotContain("xxxxxxxx");
        assertThat(r.raw().body()).doesNotContainPattern("java\\.|springframework|DateTimeFormat").hasSizeLessThan(1000);
    }

    @Test
    void scriptAndSqlLikeCustomerNamesAreStoredAsGiven() {
        long product = newProduct(ProductType.ACCESSORY, 20_000, Map.of(1L, 10));
        String name = "<script>alert('x')</script>'; drop table sale; --";
        var r = api().sell(token("kasir1"), Map.of("paymentType", "UMUM", "customerName", name,
                "items", List.of(Map.of("productId", product, "quantity", 1))));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("customerName").asString()).isEqualTo(name);
        assertThat(count("select count(*) from sale where customer_name = ?", name)).isEqualTo(1);
    }

    @Test
    void stockNeverGoesBelowZeroThroughAnAdjustment() {
        long product = newProduct(ProductType.FRAME, 100_000, Map.of(1L, 3));
        var r = api().post("/api/products/" + product + "/stock-adjustments", token("admin1"),
                Map.of("delta", -4, "reason", "koreksi"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("availableStock").asInt()).isEqualTo(3);
        assertThat(stockOf(product, 1)).isEqualTo(3);
        var ok = api().post("/api/products/" + product + "/stock-adjustments", token("admin1"),
                Map.of("delta", 7, "reason", "restock"));
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().get("stock").asInt()).isEqualTo(10);
        assertThat(ok.body().get("alertLevel").asString()).isEqualTo("medium");
    }

    @Test
    void theSecurityFiltersRefuseInTheCallersLanguageIndonesianByDefault() {
        var anonymous = api().get("/api/products", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().get("title").asString()).isEqualTo("Belum masuk");
        var forged = api().get("/api/products", "garbage");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body().get("title").asString()).isEqualTo("Token tidak valid");
        // refused by the filter chain before any controller: a kasir asking for the admins' API description
        var kasir = api().get("/v3/api-docs", token("kasir1"));
        assertThat(kasir.status()).isEqualTo(403);
        assertThat(kasir.body().get("title").asString()).isEqualTo("Akses ditolak");
        var english = api().get("/v3/api-docs", token("kasir1"), Map.of("Accept-Language", "en"));
        assertThat(english.body().get("title").asString()).isEqualTo("Forbidden");
        assertThat(api().get("/api/products", null, Map.of("Accept-Language", "en-GB,en;q=0.8")).body()
                .get("title").asString()).isEqualTo("Not logged in");
    }

    @Test
    void loginAndTokensFailClearly() {
        var wrong = api().post("/api/auth/token", null, Map.of("username", "kasir1", "password", "salah"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        var nobody = api().post("/api/auth/token", null, Map.of("username", "nobody", "password", "salah"));
        assertThat(nobody.status()).isEqualTo(401);
        var ok = api().post("/api/auth/token", null, Map.of("username", "kasir1", "password", "melati-demo"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().get("user").get("branchId").asLong()).isEqualTo(1);
        assertThat(ok.header("Set-Cookie")).contains("optik_token=", "HttpOnly", "SameSite=Lax");
        for (String bad : new String[] {"garbage", ok.body().get("accessToken").asString() + "x",
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."}) {
            var r = api().get("/api/products", bad);
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void hugeBodiesAreRefusedWith413AndWriteNothing() throws Exception {
        long product = newProduct(ProductType.FRAME, 100_000, Map.of(1L, 10));
        String kasir1 = token("kasir1");
        long salesBefore = count("select count(*) from sale");
        String huge = "{\"paymentType\":\"UMUM\",\"customerName\":\"" + "x".repeat(200_000)
                + "\",\"items\":[{\"productId\":" + product + ",\"quantity\":1}]}";
        var declared = api().postRaw("/api/sales", kasir1, huge, Map.of("Idempotency-Key", "besar-1"));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.contentType()).startsWith("application/problem+json");

        // the same body without a Content-Length (chunked), as a streaming client sends it
        var http = java.net.http.HttpClient.newHttpClient();
        byte[] bytes = huge.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var chunked = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/sales"))
                .header("Authorization", "Bearer " + kasir1).header("Content-Type", "application/json")
                .header("Idempotency-Key", "besar-2")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(count("select count(*) from sale")).isEqualTo(salesBefore);
        assertThat(stockOf(product, 1)).isEqualTo(10);
    }

    @Test
    void productsAreListedWithTheirAlertLevel() {
        long low = newProduct(ProductType.FRAME, 100_000, Map.of(1L, 5));
        var r = api().get("/api/products?type=FRAME&q=" + "Produk%20Uji", token("kasir1"));
        assertThat(r.status()).isEqualTo(200);
        var found = r.body().valueStream().filter(p -> p.get("id").asLong() == low).findFirst().orElseThrow();
        assertThat(found.get("stock").asInt()).isEqualTo(5);
        assertThat(found.get("alertLevel").asString()).isEqualTo("low");
        var demo = api().get("/api/products?type=LENS", token("kasir1"));
        assertThat(demo.body().size()).isGreaterThanOrEqualTo(60);
    }
}
