package id.optikmelati.api.apidocs;

import id.optikmelati.contract.ProblemTypes;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The REST API's OpenAPI description (/v3/api-docs, Swagger UI at /swagger-ui.html, admins only): what
 * springdoc reads from the controllers, plus what it cannot see there, the bearer token, the
 * {@code Idempotency-Key} that every write of money or stock requires, and the RFC 9457 problem details
 * each operation may answer with.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    static final String PROBLEM = "Problem";
    static final String BEARER = "bearer";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Bean
    OpenAPI optikOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Optik Melati API").version("0.1.0").description("""
                        The shop's REST API: sales, returns, stock, transfers, glasses orders, the end of day, \
                        reports. Every change is also an event on the realtime streams (docs/event-contract.md). \
                        Log in with POST /api/auth/token and send the access token as a bearer token. Errors are \
                        RFC 9457 problem details (application/problem+json) in the language of Accept-Language \
                        (Indonesian unless English is asked for)."""))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Idempotency keys, problem responses and the login's lack of a token, on every /api operation. */
    @Bean
    OpenApiCustomizer problemsAndIdempotencyKeys() {
        return api -> {
            // here rather than in the OpenAPI bean: springdoc sets the schemas it reads from the code afterwards
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                // grouped by feature, as the code is: "sale", not "sale-controller"
                if (operation.getTags() != null) {
                    operation.setTags(operation.getTags().stream().map(t -> t.replaceFirst("-controller$", "")).toList());
                }
                describeIdempotencyKey(operation);
                addProblems(path, method, operation);
                if (path.startsWith("/api/auth/")) {
                    operation.setSecurity(List.of()); // logging in needs no token
                }
            }));
        };
    }

    /** The controllers take the header as optional so that a missing one is our 400 problem, not Spring's. */
    private static void describeIdempotencyKey(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter p : operation.getParameters()) {
            if (IDEMPOTENCY_KEY.equalsIgnoreCase(p.getName()) && "header".equals(p.getIn())) {
                p.required(true).description("""
                        A key of the caller's choosing (1-100 visible ASCII characters), new for each \
                        operation and the same on each retry of it: a retry is answered with the first \
                        outcome (header Idempotent-Replayed: true) and changes nothing again; the same key \
                        with another body is 422.""")
                        .schema(new StringSchema().minLength(1).maxLength(100).pattern("^[!-~]+$"));
            }
        }
    }

    private static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        Map<String, String> problems = new LinkedHashMap<>();
        problems.put("400", "Bad input: a field, parameter or body that cannot be read or breaks a rule");
        if (path.startsWith("/api/auth/token")) {
            problems.put("401", "Wrong username or password");
            problems.put("429", "Too many login attempts from this address or for this username (Retry-After)");
        } else {
            problems.put("401", "No valid access token");
            problems.put("403", "The caller's role or branch may not do this");
        }
        if (path.contains("{")) {
            problems.put("404", "No such resource (or not in the caller's branch)");
        }
        if (method != PathItem.HttpMethod.GET) {
            problems.put("409", "The shop's state refuses it: stock ran out, a stale version, a closed day, a status"
                    + " that cannot move there");
            problems.put("413", "The body is larger than optik.max-request-body");
        }
        if (operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> IDEMPOTENCY_KEY.equalsIgnoreCase(p.getName()))) {
            problems.put("422", "The Idempotency-Key was used before with another body");
        }
        problems.put("503", "The database is busy or unavailable; retry after Retry-After");
        problems.forEach((status, description) -> responses.computeIfAbsent(status, s -> new ApiResponse())
                .description(description)
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
        operation.setResponses(responses);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema problem = new ObjectSchema()
                .description("RFC 9457 problem details, in the caller's language; extension members say more"
                        + " (e.g. which products ran out)")
                .addProperty("type", new StringSchema().format("uri")
                        .example(ProblemTypes.of("insufficient-stock").toString()))
                .addProperty("title", new StringSchema().example("Stok habis"))
                .addProperty("status", new IntegerSchema().example(409))
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"));
        problem.setAdditionalProperties(true);
        return problem;
    }
}
