package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Actuator answers on the management port only: its metrics carry each branch's omset, and the public
 * port (the one a load balancer routes to) has the probes and nothing else of it.
 */
class HealthTest extends ApiTestBase {

    @Test
    void healthShowsTheDatabaseAndRedisAsComponentsWithoutDetails() {
        var r = management().get("/actuator/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asString()).isEqualTo("UP");
        assertThat(r.body().get("components").get("redis").get("status").asString()).isEqualTo("UP");
        assertThat(r.body().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(r.body().get("components").get("redis").has("details")).isFalse();
    }

    @Test
    void thePublicPortServesTheProbesButNotTheMetrics() {
        assertThat(api().get("/readyz", null).status()).isEqualTo(200);
        assertThat(api().get("/livez", null).status()).isEqualTo(200);
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health"}) {
            var r = api().get(path, null, Map.of("Accept", "text/plain"));
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.raw().body()).as(path).doesNotContain("optik_omset");
        }
    }

    @Test
    void theManagementPortServesTheMetricsWithTheOmsetPerBranch() {
        // the gauges are read every second here (ApiTestBase), the first after the demo chain is loaded
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var r = management().get("/actuator/prometheus", null, Map.of("Accept", "text/plain"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.raw().body()).contains("optik_omset_today_rupiah{", "http_server_requests_seconds");
        });
        assertThat(management().get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }
}
