package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.testkit.HostileValues;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generated hostile input at every REST endpoint the API maps, found from its mappings (a new
 * endpoint is covered without being listed here): every path variable, query parameter and body
 * field gets values from {@link HostileValues}, as a kasir and as a super admin. Never a 5xx; every
 * refusal is problem+json that names no Java class and echoes no more than a short excerpt; and a
 * refused request stores nothing.
 */
class HostileInputTest extends ApiTestBase {

    /** Requests per endpoint and caller. */
    private static final int TRIES = 6;

    /** A caller's own session ends, or its password changes: the suite would lose its callers. */
    private static final Set<String> NOT_FIRED_AT = Set.of("/api/auth/logout", "/api/auth/password");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(RequestMethod method, String pattern, HandlerMethod handler) {}

    private List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
            for (String pattern : e.getKey().getPatternValues()) {
                if (!pattern.startsWith("/api/") || NOT_FIRED_AT.contains(pattern)) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    out.add(new Endpoint(method, pattern, e.getValue()));
                }
            }
        }
        return out;
    }

    @Test
    void everyEndpointRefusesHostileInputClearlyAndStoresNothingItRefused() throws Exception {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).as("the API's REST endpoints").hasSizeGreaterThan(25);
        Map<String, String> callers = Map.of("kasir1", token("kasir1"), "superadmin", token("superadmin"));
        int refused = 0;
        for (Endpoint endpoint : endpoints) {
            for (var caller : callers.entrySet()) {
                for (int i = 0; i < TRIES; i++) {
                    HttpRequest request = hostile(endpoint, caller.getValue());
                    List<Long> before = writes();
                    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    String what = caller.getKey() + " " + request.method() + " " + excerpt(request.uri().toString())
                            + " -> " + r.statusCode() + " " + excerpt(r.body());
                    assertThat(r.statusCode()).as(what).isLessThan(500);
                    if (r.statusCode() >= 400) {
                        refused++;
                        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what)
                                .startsWith("application/problem+json");
                        var body = EventCodec.mapper().readTree(r.body());
                        assertThat(body.get("type").asString()).as(what).startsWith("https://optikmelati.id/problems/");
                        assertThat(body.get("title").asString()).as(what).isNotBlank();
                        assertThat(r.body()).as(what).hasSizeLessThan(2_000);
                        // the instance echoes the caller's own path, which may spell anything ("SQL"):
                        // a leak would be in the rest of what the API wrote
                        ObjectNode ours = (ObjectNode) body.deepCopy();
                        ours.remove("instance");
                        assertThat(EventCodec.toJson(ours)).as(what)
                                .doesNotContainPattern("java\\.|javax\\.|springframework|jackson|hibernate|postgresql"
                                        + "|Exception|SQL");
                        assertThat(writes()).as("nothing stored by a refused " + what).isEqualTo(before);
                    }
                }
            }
        }
        System.out.printf("hostile input: %d endpoints, %d requests, %d refused%n", endpoints.size(),
                endpoints.size() * callers.size() * TRIES, refused);
        assertThat(refused).as("hostile requests refused").isGreaterThan(endpoints.size() * TRIES);
    }

    /** Sales, outbox events, orders, stock, active users and products, as they stand. */
    private List<Long> writes() {
        return List.of(count("select count(*) from sale"), count("select count(*) from outbox_event"),
                count("select count(*) from customer_order"), count("select coalesce(sum(quantity), 0) from stock"),
                count("select count(*) from app_user where active"), count("select count(*) from product"));
    }

    private HttpRequest hostile(Endpoint endpoint, String token) {
        String path = endpoint.pattern();
        Map<String, String> query = new LinkedHashMap<>();
        String body = null;
        for (MethodParameter p : endpoint.handler().getMethodParameters()) {
            PathVariable variable = p.getParameterAnnotation(PathVariable.class);
            RequestParam param = p.getParameterAnnotation(RequestParam.class);
            if (variable != null) {
                String name = !variable.name().isEmpty() ? variable.name() : p.getParameterName();
                path = path.replaceAll("\\{" + name + "(:[^}]*)?}", HostileValues.encoded(HostileValues.notAnId().sample()));
            } else if (param != null) {
                String name = !param.name().isEmpty() ? param.name() : p.getParameterName();
                if (Math.random() < 0.8) {
                    query.put(name, HostileValues.text().sample());
                }
            } else if (p.hasParameterAnnotation(RequestBody.class)) {
                body = Math.random() < 0.25 ? HostileValues.text().sample() : hostileJson(p.getParameterType());
            }
        }
        String uri = "http://127.0.0.1:" + port + path + (query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + HostileValues.encoded(e.getValue())).collect(Collectors.joining("&")));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json, application/problem+json")
                .header("Idempotency-Key", UUID.randomUUID().toString());
        if (Math.random() < 0.3) {
            b.header("Accept-Language", Math.random() < 0.5 ? "en" : ";;;q=x");
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b.method(endpoint.method().name(), publisher).build();
    }

    /** A JSON object with every field of {@code type} (a record) holding a hostile value, some left out. */
    private static String hostileJson(Class<?> type) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (var component : type.getRecordComponents()) {
                if (Math.random() < 0.85) {
                    fields.put(component.getName(), HostileValues.jsonValue().sample());
                }
            }
        }
        return EventCodec.toJson(fields);
    }

    private static String excerpt(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
