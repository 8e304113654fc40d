package id.optikmelati.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The shop's requests, shared by the simulations. */
final class Shop {

    private Shop() {}

    static final String PASSWORD = System.getProperty("password", "melati-demo");

    /** Cashiers of the demo chain, round robin: kasir1 (branch 1), kasir2 (branch 2), kasir3 (branch 3). */
    static Iterator<Map<String, Object>> cashiers() {
        String[] users = System.getProperty("cashiers.users", "kasir1,kasir2,kasir3").split(",");
        int[] next = {0};
        return Stream.generate((Supplier<Map<String, Object>>) () -> Map.of("username", users[next[0]++ % users.length]))
                .iterator();
    }

    /** Logs in (the token and the branch go into the session). */
    static ChainBuilder login() {
        return exec(http("login").post("/api/auth/token")
                .body(StringBody("{\"username\":\"#{username}\",\"password\":\"" + PASSWORD + "\"}")).asJson()
                .check(status().is(200), jsonPath("$.accessToken").saveAs("token"),
                        jsonPath("$.user.branchId").saveAs("branchId")));
    }

    /** The branch's products (their ids, for sales). */
    static ChainBuilder products() {
        return exec(http("products").get("/api/products").header("Authorization", "Bearer #{token}")
                .check(status().is(200), jsonPath("$[*].id").findAll().saveAs("productIds")));
    }

    /** A sale of one random product; 409 (sold out meanwhile) is a correct answer, not an error. */
    static ChainBuilder sale() {
        return exec(session -> {
            java.util.List<Object> ids = session.getList("productIds");
            return session.set("productId", ids.get(ThreadLocalRandom.current().nextInt(ids.size())))
                    .set("idempotencyKey", UUID.randomUUID().toString());
        }).exec(http("sale").post("/api/sales")
                .header("Authorization", "Bearer #{token}")
                .header("Idempotency-Key", "#{idempotencyKey}")
                .body(StringBody("{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":#{productId},\"quantity\":1}]}"))
                .asJson()
                .check(status().in(201, 409)));
    }
}
