package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.ProductType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every branch-scoped endpoint, for every role, on its own branch (1) and another (2), checked
 * against one table. A KASIR or ADMIN never reaches another branch; only admins adjust stock.
 */
class BranchAuthorizationTest extends ApiTestBase {

    private long product;

    /** What a call returns, given a token (null: anonymous) and the branch it targets. */
    private record Endpoint(String name, BiFunction<String, Long, Integer> call) {}

    @BeforeEach
    void product() {
        product = newProduct(ProductType.FRAME, 100_000, Map.of(1L, 1000, 2L, 1000));
    }

    private List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET products", (t, b) -> api().get("/api/products?branchId=" + b, t).status()),
                new Endpoint("GET omset", (t, b) -> api().get("/api/omset?branchId=" + b, t).status()),
                new Endpoint("GET screen", (t, b) -> api().get("/api/screen?branchId=" + b, t).status()),
                new Endpoint("GET sales", (t, b) -> api().get("/api/sales?branchId=" + b, t).status()),
                new Endpoint("POST sales", (t, b) -> api().sell(t, sale(b, "UMUM", product, 1)).status()),
                new Endpoint("POST stock-adjustment", (t, b) -> api().post("/api/products/" + product
                        + "/stock-adjustments", t, Map.of("branchId", b, "delta", 1, "reason", "uji")).status()),
                new Endpoint("GET orders", (t, b) -> api().get("/api/orders?branchId=" + b, t).status()),
                new Endpoint("POST orders", (t, b) -> api().orderGlasses(t, b, "Bu Sari", product).status()),
                new Endpoint("POST order status", (t, b) -> api().post("/api/orders/" + order(b) + "/status", t,
                        Map.of("status", "AT_LAB")).status()),
                new Endpoint("GET order", (t, b) -> api().get("/api/orders/" + order(b), t).status()));
    }

    /** An order in the branch, made by that branch's admin (or the super admin). */
    private long order(long branch) {
        var r = api().orderGlasses(token("superadmin"), branch, "Pak Budi", product);
        return r.body().get("id").asLong();
    }

    @Test
    void everyEndpointEveryRoleOwnAndOtherBranch() {
        String superadmin = token("superadmin");
        String admin1 = token("admin1");
        String kasir1 = token("kasir1");
        // endpoint, token, branch, expected status
        record Case(String endpoint, String who, String token, long branch, int expected) {}
        List<Case> table = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            boolean write = e.name().startsWith("POST");
            int ok = write ? 201 : 200;
            if (e.name().equals("POST order status")) {
                ok = 200;
            }
            boolean adminOnly = e.name().equals("POST stock-adjustment");
            table.add(new Case(e.name(), "superadmin", superadmin, 1, ok));
            table.add(new Case(e.name(), "superadmin", superadmin, 2, ok));
            table.add(new Case(e.name(), "admin1", admin1, 1, ok));
            table.add(new Case(e.name(), "admin1", admin1, 2, 403));
            table.add(new Case(e.name(), "kasir1", kasir1, 1, adminOnly ? 403 : ok));
            table.add(new Case(e.name(), "kasir1", kasir1, 2, 403));
            table.add(new Case(e.name(), "anonymous", null, 1, 401));
        }
        List<String> wrong = new ArrayList<>();
        for (Case c : table) {
            Endpoint e = endpoints().stream().filter(x -> x.name().equals(c.endpoint())).findFirst().orElseThrow();
            int actual = e.call().apply(c.token(), c.branch());
            if (actual != c.expected()) {
                wrong.add(c.endpoint() + " as " + c.who() + " on branch " + c.branch() + ": expected "
                        + c.expected() + ", got " + actual);
            }
        }
        assertThat(wrong).isEmpty();
        // Nothing the refused calls tried reached branch 2's stock: only superadmin's sale and +1 did,
        // and the orders made there reserved their units.
        long reserved = jdbc.sql("""
                        select coalesce(sum(i.quantity), 0) from order_item i join customer_order o on o.id = i.order_id
                        where o.branch_id = 2 and i.product_id = :p""").param("p", product).query(Long.class).single();
        assertThat(reserved).isPositive();
        assertThat(stockOf(product, 2)).isEqualTo(1000 - 1 + 1 - reserved);
    }

    @Test
    void aSuperAdminMustNameTheBranchForBranchScopedWrites() {
        var r = api().sell(token("superadmin"), sale(null, "UMUM", product, 1));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("title").asString()).isEqualTo("Cabang wajib dipilih");
        var unknown = api().sell(token("superadmin"), sale(99L, "UMUM", product, 1));
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void aSuperAdminSeesTheChainOmset() {
        var r = api().get("/api/omset", token("superadmin"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("branches").size()).isGreaterThanOrEqualTo(3);
        long sum = 0;
        for (var b : r.body().get("branches")) {
            sum += b.get("total").asLong();
        }
        assertThat(r.body().get("total").asLong()).isEqualTo(sum);
    }
}
