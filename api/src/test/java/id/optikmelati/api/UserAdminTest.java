package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.SharedServers;
import io.lettuce.core.RedisClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Staff accounts: who may create and change which, what a password must be, and that a
 * deactivation or reset ends the account's sessions at once.
 */
class UserAdminTest extends ApiTestBase {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String PASSWORD = "kacamata-bening-77";

    private static String name(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + USERS.incrementAndGet();
    }

    private static Map<String, Object> user(String username, String role, Long branchId, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("role", role);
        body.put("branchId", branchId);
        body.put("password", password);
        return body;
    }

    /** A kasir of branch 1 made by admin1, with their own password set, and their token. */
    private record Kasir(long id, String username, String token) {}

    private Kasir kasir() {
        String username = name("kasir");
        var created = api().post("/api/users", token("admin1"), user(username, "KASIR", null, PASSWORD));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String first = api().login(username, PASSWORD);
        var changed = api().post("/api/auth/password", first,
                Map.of("currentPassword", PASSWORD, "newPassword", PASSWORD + "-baru"));
        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(204);
        return new Kasir(created.body().get("id").asLong(), username, api().login(username, PASSWORD + "-baru"));
    }

    @Test
    void anAdminCreatesAKasirOfTheirBranchWhoMustChooseTheirOwnPasswordFirst() {
        String username = name("kasir");
        var created = api().post("/api/users", token("admin1"), user(username, "KASIR", null, PASSWORD));

        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body().get("branchId").asLong()).isEqualTo(1);
        assertThat(created.body().get("mustChangePassword").asBoolean()).isTrue();
        assertThat(created.raw().body()).doesNotContain(PASSWORD);
        String token = api().login(username, PASSWORD);
        var blocked = api().get("/api/products", token);
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.body().get("type").asString()).endsWith("/password-change-required");

        var changed = api().post("/api/auth/password", token,
                Map.of("currentPassword", PASSWORD, "newPassword", "lensa-progresif-2026"));
        assertThat(changed.status()).isEqualTo(204);
        assertThat(api().get("/api/products", api().login(username, "lensa-progresif-2026")).status()).isEqualTo(200);
        assertThat(count("select count(*) from outbox_event where type = 'user.changed' and branch_id = 1"
                + " and payload->>'username' = ?", username)).isEqualTo(2); // created, password-changed
    }

    @Test
    void whoMayGrantWhatAndForWhichBranch() {
        String admin1 = token("admin1");
        var adminMakesAdmin = api().post("/api/users", admin1, user(name("admin"), "ADMIN", null, PASSWORD));
        var adminMakesSuper = api().post("/api/users", admin1, user(name("super"), "SUPER_ADMIN", null, PASSWORD));
        var adminOtherBranch = api().post("/api/users", admin1, user(name("kasir"), "KASIR", 2L, PASSWORD));
        var kasirMakesKasir = api().post("/api/users", token("kasir1"), user(name("kasir"), "KASIR", null, PASSWORD));
        var superMakesAdmin = api().post("/api/users", token("superadmin"), user(name("admin"), "ADMIN", 3L, PASSWORD));
        var superWithBranch = api().post("/api/users", token("superadmin"), user(name("super"), "SUPER_ADMIN", 1L, PASSWORD));
        var unknownRole = api().post("/api/users", token("superadmin"), user(name("x"), "OWNER", 1L, PASSWORD));

        assertThat(adminMakesAdmin.status()).isEqualTo(403);
        assertThat(adminMakesAdmin.body().get("type").asString()).endsWith("/role-not-grantable");
        assertThat(adminMakesSuper.status()).isEqualTo(403);
        assertThat(adminOtherBranch.status()).isEqualTo(403);
        assertThat(kasirMakesKasir.status()).isEqualTo(403);
        assertThat(superMakesAdmin.status()).isEqualTo(201);
        assertThat(superMakesAdmin.body().get("branchId").asLong()).isEqualTo(3);
        assertThat(superWithBranch.status()).isEqualTo(400);
        assertThat(unknownRole.status()).isEqualTo(400);
        assertThat(unknownRole.body().get("detail").asString()).contains("SUPER_ADMIN", "ADMIN", "KASIR");
    }

    @Test
    void badUsernamesAndWeakPasswordsAreRefusedAndNothingIsWritten() {
        String admin = token("admin1");
        long before = count("select count(*) from app_user");
        String taken = "kasir1";
        var cases = Map.of(
                "bad-username", user("Kasir Baru!", "KASIR", null, PASSWORD),
                "duplicate-username", user(taken, "KASIR", null, PASSWORD),
                "password-too-short", user(name("kasir"), "KASIR", null, "zq7xw1"),
                "password-common", user(name("kasir"), "KASIR", null, "Password123"),
                "password-has-username", user("sinta-" + USERS.incrementAndGet(), "KASIR", null,
                        "sinta-" + USERS.get() + "-rahasia"));
        cases.forEach((code, body) -> {
            var r = api().post("/api/users", admin, body);
            assertThat(r.status()).as(code + " " + r.raw().body()).isIn(400, 409);
            assertThat(r.body().get("type").asString()).as(code).endsWith("/" + code);
            assertThat(r.raw().body()).doesNotContain((String) body.get("password"));
        });
        assertThat(count("select count(*) from app_user")).isEqualTo(before);
    }

    @Test
    void aDeactivatedUsersNextCallIsRefusedAndTheyCannotLogInUntilReactivated() throws Exception {
        Kasir kasir = kasir();
        assertThat(api().get("/api/products", kasir.token()).status()).isEqualTo(200);

        var off = api().post("/api/users/" + kasir.id() + "/deactivate", token("admin1"), null);
        assertThat(off.status()).as(off.raw().body()).isEqualTo(200);
        assertThat(off.body().get("active").asBoolean()).isFalse();

        var refused = api().get("/api/products", kasir.token());
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().get("type").asString()).endsWith("/token-revoked");
        var login = api().post("/api/auth/token", null, Map.of("username", kasir.username(), "password",
                PASSWORD + "-baru"));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.body().get("type").asString()).endsWith("/account-inactive");
        // the realtime nodes learn it from Redis, without asking the API
        RedisClient client = RedisClient.create(SharedServers.redisUri());
        try (var c = client.connect()) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> c.sync().hget(RedisKeys.revocations(), Long.toString(kasir.id())) != null);
        } finally {
            client.shutdown();
        }

        assertThat(api().post("/api/users/" + kasir.id() + "/reactivate", token("admin1"), null).status()).isEqualTo(200);
        assertThat(api().get("/api/products", kasir.token()).status()).as("the old token stays revoked").isEqualTo(401);
        Thread.sleep(1100); // tokens of the second the account was revoked in stay refused
        assertThat(api().get("/api/products", api().login(kasir.username(), PASSWORD + "-baru")).status())
                .isEqualTo(200);
    }

    @Test
    void aResetGivesATemporaryPasswordEndsTheSessionsAndMustBeChanged() throws Exception {
        Kasir kasir = kasir();
        var reset = api().post("/api/users/" + kasir.id() + "/reset-password", token("admin1"), null);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.header("Cache-Control")).isEqualTo("no-store");
        String temporary = reset.body().get("temporaryPassword").asString();
        assertThat(temporary).hasSize(12);

        assertThat(api().get("/api/products", kasir.token()).status()).isEqualTo(401);
        Thread.sleep(1100);
        String token = api().login(kasir.username(), temporary);
        assertThat(api().get("/api/products", token).status()).isEqualTo(403);
        assertThat(api().post("/api/auth/password", token, Map.of("currentPassword", temporary,
                "newPassword", "frame-titanium-99")).status()).isEqualTo(204);
    }

    @Test
    void aBranchAdminManagesOnlyTheKasirOfTheirBranchAndNobodyTheirOwnAccount() {
        String admin1 = token("admin1");
        long admin2 = count("select id from app_user where username = 'admin2'");
        long kasir2 = count("select id from app_user where username = 'kasir2'");
        long admin1Id = count("select id from app_user where username = 'admin1'");
        long superadmin = count("select id from app_user where username = 'superadmin'");

        assertThat(api().post("/api/users/" + admin2 + "/deactivate", admin1, null).status()).isEqualTo(403);
        assertThat(api().post("/api/users/" + kasir2 + "/reset-password", admin1, null).status()).isEqualTo(403);
        var self = api().post("/api/users/" + admin1Id + "/deactivate", admin1, null);
        assertThat(self.status()).isEqualTo(403); // an admin is not a kasir account
        var superSelf = api().post("/api/users/" + superadmin + "/deactivate", token("superadmin"), null);
        assertThat(superSelf.status()).isEqualTo(409);
        assertThat(superSelf.body().get("type").asString()).endsWith("/user-self");
        assertThat(api().put("/api/users/" + kasir2, admin1, Map.of("role", "KASIR", "branchId", 1), Map.of()).status())
                .isEqualTo(403);
    }

    @Test
    void aNewBranchRevokesTheTokensThatCarryTheOldOne() throws Exception {
        Kasir kasir = kasir();
        var moved = api().put("/api/users/" + kasir.id(), token("superadmin"), Map.of("role", "KASIR", "branchId", 2),
                Map.of());
        assertThat(moved.status()).as(moved.raw().body()).isEqualTo(200);
        assertThat(moved.body().get("branchId").asLong()).isEqualTo(2);
        assertThat(api().get("/api/products", kasir.token()).status()).isEqualTo(401);
        Thread.sleep(1100);
        String token = api().login(kasir.username(), PASSWORD + "-baru");
        var products = api().get("/api/products", token);
        assertThat(products.body().get(0).get("branchId").asLong()).isEqualTo(2);
        // the branch it left sees it go, the branch it joined sees it come
        assertThat(count("select count(*) from outbox_event where type = 'user.changed' and payload->>'username' = ?"
                + " and payload->>'change' = 'updated'", kasir.username())).isEqualTo(2);
    }

    @Test
    void theListShowsAnAdminTheirBranchAndASuperAdminEveryone() {
        ApiClient.Response mine = api().get("/api/users", token("admin1"));
        ApiClient.Response all = api().get("/api/users", token("superadmin"));
        assertThat(mine.body()).allSatisfy(u -> assertThat(u.get("branchId").asLong()).isEqualTo(1));
        assertThat(all.body().size()).isGreaterThan(mine.body().size());
        assertThat(all.raw().body()).doesNotContain("password_hash", "passwordHash", "$2a$");
        assertThat(api().get("/api/users", token("kasir1")).status()).isEqualTo(403);
    }
}
