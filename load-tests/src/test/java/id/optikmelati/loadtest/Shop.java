package id.optikmelati.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The shop's requests, shared by the simulations. */
final class Shop {

    private Shop() {}

    /**
     * The accounts, logged in before the load starts ({@link Accounts}), round robin: each virtual user
     * gets one's username, token and branch.
     */
    static Iterator<Map<String, Object>> accounts(List<Accounts.Session> sessions) {
        int[] next = {0};
        return Stream.generate((Supplier<Map<String, Object>>) () -> {
            Accounts.Session s = sessions.get(next[0]++ % sessions.size());
            return Map.<String, Object>of("username", s.username(), "token", s.token(), "branchId", s.branchId());
        }).iterator();
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
