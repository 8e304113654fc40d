package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** /actuator/health names its components (PostgreSQL, Redis) and their status, never their details. */
class HealthTest extends ApiTestBase {

    @Test
    void healthShowsTheDatabaseAndRedisAsComponentsWithoutDetails() {
        var r = api().get("/actuator/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asString()).isEqualTo("UP");
        assertThat(r.body().get("components").get("redis").get("status").asString()).isEqualTo("UP");
        assertThat(r.body().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(r.body().get("components").get("redis").has("details")).isFalse();
        assertThat(api().get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }
}
