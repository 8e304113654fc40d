package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.testkit.SharedServers;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A login's token is renewed before (or even after) it expires, within the session's absolute
 * lifetime; a logout, a deactivation or a tampered token ends that. Short lifetimes here, so the
 * test sees a token and a session run out.
 */
@TestPropertySource(properties = {"optik.auth.token-ttl=3s", "optik.auth.session-lifetime=9s"})
class SessionRenewalTest extends ApiTestBase {

    static final AtomicInteger USERS = new AtomicInteger();

    @Autowired
    PasswordEncoder passwords;

    record Login(String username, long id, String token) {}

    private Login newKasir() {
        String username = "kasir-sesi-" + System.nanoTime() % 1_000_000 + "-" + USERS.incrementAndGet();
        long id = jdbc.sql("insert into app_user (username, password_hash, role, branch_id) values (:u, :h, 'KASIR', 1)"
                        + " returning id")
                .param("u", username).param("h", passwords.encode("rahasia-" + username)).query(Long.class).single();
        return new Login(username, id, api().login(username, "rahasia-" + username));
    }

    private static JsonNode claims(String token) {
        String payload = token.split("\\.")[1];
        return id.optikmelati.contract.EventCodec.mapper().readTree(
                new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    private ApiClientResponse refresh(String token) {
        var r = api().post("/api/auth/refresh", token, null);
        return new ApiClientResponse(r.status(), r.body(), r.header("Set-Cookie"), r.contentType());
    }

    record ApiClientResponse(int status, JsonNode body, String cookie, String contentType) {}

    @Test
    void aRenewedTokenKeepsItsSessionAndWorksAndItsCookieLastsAsLongAsTheSession() throws Exception {
        Login kasir = newKasir();
        Thread.sleep(1100); // a token names its issue second
        var renewed = refresh(kasir.token());
        assertThat(renewed.status()).as(String.valueOf(renewed.body())).isEqualTo(200);
        String token = renewed.body().get("accessToken").asString();
        assertThat(token).isNotEqualTo(kasir.token());
        assertThat(claims(token).get("sid").asString()).isEqualTo(claims(kasir.token()).get("sid").asString());
        assertThat(renewed.body().get("expiresIn").asLong()).isBetween(1L, 3L);
        assertThat(renewed.body().get("sessionExpiresIn").asLong()).isBetween(1L, 9L);
        assertThat(renewed.cookie()).contains("optik_token=" + token).contains("HttpOnly");
        assertThat(api().get("/api/products", token).status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRenewedWhileItsSessionLastsAndNotAfter() throws Exception {
        Login kasir = newKasir();
        Thread.sleep(3500); // the token has expired
        assertThat(api().get("/api/products", kasir.token()).status()).isEqualTo(401);
        var renewed = refresh(kasir.token());
        assertThat(renewed.status()).as("an expired token, its session still going").isEqualTo(200);
        String token = renewed.body().get("accessToken").asString();
        assertThat(api().get("/api/products", token).status()).isEqualTo(200);

        Thread.sleep(6000); // the session (9 s) is over, however often it was renewed
        var over = refresh(token);
        assertThat(over.status()).isEqualTo(401);
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(over.body().get("type").asString()).endsWith("/session-expired");
    }

    @Test
    void aLogoutEndsTheSessionEverywhereAndItCanNoLongerBeRenewed() {
        Login kasir = newKasir();
        String sid = claims(kasir.token()).get("sid").asString();
        assertThat(api().post("/api/auth/logout", kasir.token(), null).status()).isEqualTo(204);
        var call = api().get("/api/products", kasir.token());
        assertThat(call.status()).isEqualTo(401);
        assertThat(call.body().get("type").asString()).endsWith("/token-revoked");
        var renewal = refresh(kasir.token());
        assertThat(renewal.status()).isEqualTo(401);
        assertThat(renewal.body().get("type").asString()).endsWith("/session-ended");
        assertThat(String.valueOf(renewal.cookie())).doesNotContain("optik_token");
        // the realtime nodes learn it from Redis, and end the session's streams
        RedisClient client = RedisClient.create(SharedServers.redisUri());
        try (var c = client.connect()) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> c.sync().hget(RedisKeys.endedSessions(), sid) != null);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aDeactivatedUsersRenewalIsRefused() {
        Login kasir = newKasir();
        assertThat(api().post("/api/users/" + kasir.id() + "/deactivate", token("admin1"), null).status())
                .isEqualTo(200);
        var renewal = refresh(kasir.token());
        assertThat(renewal.status()).isEqualTo(401);
        assertThat(renewal.body().get("type").asString()).endsWith("/token-revoked");
    }

    @Test
    void aTamperedOrSessionlessTokenIsRefusedAndNothingChanges() {
        Login kasir = newKasir();
        String[] parts = kasir.token().split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims(kasir.token()).toString().replace("KASIR", "SUPER_ADMIN").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        long sessions = count("select count(*) from login_session");
        for (String bad : new String[] {forged, "garbage", kasir.token() + "x"}) {
            var r = refresh(bad);
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body().get("type").asString()).endsWith("/invalid-token");
            assertThat(r.body().toString()).doesNotContain("java.", "Exception");
        }
        var none = api().post("/api/auth/refresh", null, Map.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(count("select count(*) from login_session")).isEqualTo(sessions);
        assertThat(api().get("/api/products", kasir.token()).status()).as("the real token still works").isEqualTo(200);
    }
}
