package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Login rate limit and lockout, held in Redis (so every API node sees the same counts). A Redis of
 * its own, so its strict per-address limit cannot throttle other test classes.
 */
@TestPropertySource(properties = {"optik.test.login-per-ip=12", "optik.auth.login-max-failures=3"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginThrottleTest extends ApiTestBase {

    static final RedisProcess REDIS = RedisProcess.start(0);

    @DynamicPropertySource
    static void ownRedis(DynamicPropertyRegistry registry) {
        registry.add("optik.test.own-redis", REDIS::uri);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Autowired
    PasswordEncoder passwords;

    private String newUser(String username) {
        jdbc.sql("insert into app_user (username, password_hash, role, branch_id) values (:u, :h, 'KASIR', 1)")
                .param("u", username).param("h", passwords.encode("rahasia-" + username)).update();
        return username;
    }

    private int login(String username, String password) {
        return api().post("/api/auth/token", null, Map.of("username", username, "password", password)).status();
    }

    @Test
    @Order(1)
    void aUsernameIsLockedOutAfterRepeatedFailuresEvenForTheRightPasswordAndOthersAreNot() {
        String victim = newUser("kasir-kunci-" + System.nanoTime() % 100000);
        String bystander = newUser("kasir-lain-" + System.nanoTime() % 100000);
        for (int i = 0; i < 3; i++) {
            assertThat(login(victim, "tebakan-" + i)).isEqualTo(401);
        }
        var locked = api().post("/api/auth/token", null, Map.of("username", victim, "password", "rahasia-" + victim));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.contentType()).startsWith("application/problem+json");
        assertThat(locked.body().get("title").asString()).isEqualTo("Terlalu banyak percobaan masuk");
        assertThat(Long.parseLong(locked.header("Retry-After"))).isPositive();
        assertThat(login(bystander, "rahasia-" + bystander)).isEqualTo(200);

        // The count lives in Redis, where another API node reads it.
        RedisClient client = RedisClient.create(REDIS.uri());
        try (var c = client.connect()) {
            assertThat(c.sync().exists(RedisKeys.loginAttempts(victim))).isEqualTo(1);
        } finally {
            client.shutdown();
        }
    }

    @Test
    @Order(2)
    void aSuccessfulLoginForgivesEarlierFailures() {
        String user = newUser("kasir-lupa-" + System.nanoTime() % 100000);
        assertThat(login(user, "salah-1")).isEqualTo(401);
        assertThat(login(user, "salah-2")).isEqualTo(401);
        assertThat(login(user, "rahasia-" + user)).isEqualTo(200);
        assertThat(login(user, "salah-3")).isEqualTo(401);
        assertThat(login(user, "salah-4")).isEqualTo(401);
        assertThat(login(user, "rahasia-" + user)).isEqualTo(200);
    }

    @Test
    @Order(3) // last: it uses up the address's attempts
    void oneAddressMayOnlyTrySoManyLoginsAMinute() {
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            if (login("penyusup-" + i, "apa-saja") == 429) {
                refused++;
            }
        }
        // 11 attempts were made by the tests before; at most 12 a minute pass (plus a refill of one per 5 s)
        assertThat(refused).as("attempts over the per-address limit of 12 a minute").isGreaterThanOrEqualTo(8);
    }
}
