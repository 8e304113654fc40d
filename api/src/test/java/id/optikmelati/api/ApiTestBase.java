package id.optikmelati.api;

import id.optikmelati.contract.ProductType;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.SharedServers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real API node on a random port, with the demo chain loaded into a real PostgreSQL and events
 * going to a real Redis (both started once per test JVM on free ports).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
public abstract class ApiTestBase {

    private static final AtomicInteger PRODUCTS = new AtomicInteger();

    @LocalServerPort
    protected int port;

    /** Actuator's own port (random here, as the public one). */
    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", SharedServers::postgresJdbcUrl);
        registry.add("spring.datasource.username", SharedServers::postgresUser);
        registry.add("spring.datasource.password", SharedServers::postgresPassword);
        // A test class with a Redis of its own (to kill it) sets optik.test.own-redis; subclass
        // property sources run first, so the override is resolved here rather than replaced.
        registry.add("optik.redis.url", () -> "${optik.test.own-redis:" + SharedServers.redisUri() + "}");
        // Every test logs in from 127.0.0.1; the per-address limit has its own test (LoginThrottleTest).
        registry.add("optik.auth.login-attempts-per-ip-per-minute", () -> "${optik.test.login-per-ip:100000}");
        registry.add("optik.metrics.gauge-interval", () -> "1s");
    }

    protected ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** The management port, where actuator answers. */
    protected ApiClient management() {
        return new ApiClient("http://127.0.0.1:" + managementPort);
    }

    protected String token(String username) {
        return api().login(username, "melati-demo");
    }

    /** A product of this test alone, with the given stock per branch (0 in branches not named). */
    protected long newProduct(ProductType type, long price, Map<Long, Integer> stock) {
        String kode = "T" + type.codePrefix() + System.nanoTime() % 1_000_000_000L + "-" + PRODUCTS.incrementAndGet();
        long id = jdbc.sql("insert into product (kode, name, type, price) values (:k, :n, :t, :p) returning id")
                .param("k", kode).param("n", "Produk Uji " + kode).param("t", type.name()).param("p", price)
                .query(Long.class).single();
        for (long branch : List.of(1L, 2L, 3L)) {
            jdbc.sql("insert into stock (product_id, branch_id, quantity) values (:p, :b, :q)")
                    .param("p", id).param("b", branch).param("q", stock.getOrDefault(branch, 0)).update();
        }
        return id;
    }

    protected int stockOf(long productId, long branch) {
        return jdbc.sql("select quantity from stock where product_id = :p and branch_id = :b")
                .param("p", productId).param("b", branch).query(Integer.class).single();
    }

    protected long count(String sql, Object... args) {
        var spec = jdbc.sql(sql);
        for (int i = 0; i < args.length; i++) {
            spec = spec.param(i + 1, args[i]);
        }
        return spec.query(Long.class).single();
    }

    protected static Map<String, Object> sale(Long branchId, String paymentType, long productId, int quantity) {
        var body = new java.util.LinkedHashMap<String, Object>();
        if (branchId != null) {
            body.put("branchId", branchId);
        }
        body.put("paymentType", paymentType);
        body.put("items", List.of(Map.of("productId", productId, "quantity", quantity)));
        return body;
    }
}
