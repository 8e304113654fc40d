package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description: for admins, of the /api operations, with what the controllers cannot say. */
class ApiDocsTest extends ApiTestBase {

    @Test
    void anAdminReadsTheDescriptionAKasirAndAStrangerDoNot() {
        assertThat(api().get("/v3/api-docs", token("admin1")).status()).isEqualTo(200);
        assertThat(api().get("/v3/api-docs", token("superadmin")).status()).isEqualTo(200);
        var kasir = api().get("/v3/api-docs", token("kasir1"));
        assertThat(kasir.status()).isEqualTo(403);
        assertThat(kasir.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(api().get("/v3/api-docs", null).status()).isEqualTo(401);
        assertThat(api().get("/swagger-ui/index.html", token("admin1")).status()).isEqualTo(200);
    }

    @Test
    void aSaleNeedsItsIdempotencyKeyAndMayAnswerWithProblems() {
        JsonNode docs = api().get("/v3/api-docs", token("admin1")).body();
        assertThat(docs.get("paths").propertyNames()).isNotEmpty().allMatch(p -> p.startsWith("/api/"));
        JsonNode sale = docs.get("paths").get("/api/sales").get("post");
        JsonNode key = null;
        for (JsonNode p : sale.get("parameters")) {
            if (p.get("name").asString().equals("Idempotency-Key")) {
                key = p;
            }
        }
        assertThat(key).isNotNull();
        assertThat(key.get("in").asString()).isEqualTo("header");
        assertThat(key.get("required").asBoolean()).isTrue();
        assertThat(sale.get("responses").propertyNames()).contains("201", "400", "401", "403", "409", "422", "503");
        assertThat(sale.get("responses").get("409").get("content").get("application/problem+json").get("schema")
                .get("$ref").asString()).isEqualTo("#/components/schemas/Problem");
        assertThat(docs.get("components").get("schemas").get("Problem").get("properties").propertyNames())
                .contains("type", "title", "status", "detail", "instance");
        assertThat(docs.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
                .isEqualTo("bearer");
        // logging in needs no token
        assertThat(docs.get("paths").get("/api/auth/token").get("post").get("security")).isEmpty();
    }
}
