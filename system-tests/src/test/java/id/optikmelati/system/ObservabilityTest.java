package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.SseClient;
import id.optikmelati.testkit.TestShop;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every Grafana panel and every alert rule, proven against a real Prometheus (Debian's) scraping
 * the whole system under traffic: each expression must parse and return at least one series.
 * An alert's condition is evaluated with {@code bool} comparisons, so a healthy system still
 * returns its series (0) instead of nothing.
 */
class ObservabilityTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path PROMETHEUS = Path.of(System.getenv().getOrDefault("OPTIK_PROMETHEUS", "/usr/bin/prometheus"));
    static final Path PROMTOOL = PROMETHEUS.resolveSibling("promtool");
    /** A comparison at the top of an alert's condition, not already a bool one. */
    static final Pattern COMPARISON = Pattern.compile("\\s(>=|<=|==|!=|>|<)\\s(?!bool\\b)");

    static ShopCluster cluster;
    static Process prometheus;
    static Path prometheusDir;
    static String prometheusUrl;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<SseClient> screens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(PROMETHEUS) || !Files.isExecutable(PROMTOOL)) {
            throw new IllegalStateException("no prometheus/promtool at " + PROMETHEUS + "; install Debian's"
                    + " prometheus package (.ci/run does) or point OPTIK_PROMETHEUS at one");
        }
        cluster = ShopCluster.start(2);
        makeTraffic();
        startPrometheus();
    }

    @AfterAll
    static void stop() throws Exception {
        screens.forEach(SseClient::close);
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Screens on both nodes, sales in two branches, a product falling to low, a restock, replays and a reset. */
    static void makeTraffic() throws Exception {
        ApiClient shop = cluster.shop();
        String kasir1 = shop.login("kasir1", "melati-demo");
        String kasir2 = shop.login("kasir2", "melati-demo");
        String admin1 = shop.login("admin1", "melati-demo");
        for (NodeProcess node : cluster.realtime) {
            screens.add(SseClient.open(node.url("/realtime/dashboard"), kasir1, null));
            screens.add(SseClient.open(node.url("/realtime/stock-updates"), kasir2, null));
            screens.add(SseClient.open(node.url("/realtime/notifications"), admin1, null));
        }
        TestShop.Product falling = TestShop.product(1, 7, "Frame Uji Metrik");
        TestShop.Product other = TestShop.product(2, 100, "Frame Uji Metrik 2");
        for (int i = 0; i < 3; i++) {
            sell(shop, kasir1, falling.id());
            sell(shop, kasir2, other.id());
        }
        var restock = shop.post("/api/products/" + other.id() + "/stock-adjustments", admin(shop),
                Map.of("branchId", 2, "delta", 10, "reason", "Restock dari gudang"));
        assertThat(restock.status()).as(restock.raw().body()).isBetween(200, 299);

        NodeProcess first = cluster.realtime.get(0);
        SseClient dashboard = screens.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> dashboard.named("sale").size() >= 3);
        dashboard.close(); // a disconnect
        screens.add(SseClient.open(first.url("/realtime/dashboard"), kasir1, dashboard.lastId())); // replay from memory
        screens.add(SseClient.open(first.url("/realtime/dashboard"), kasir1, "not-an-id")); // a reset
    }

    private static String admin(ApiClient shop) {
        return shop.login("superadmin", "melati-demo");
    }

    private static void sell(ApiClient shop, String token, long product) {
        var r = shop.sell(token, Map.of("paymentType", "BPJS", "items", List.of(Map.of("productId", product, "quantity", 1))));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    }

    static void startPrometheus() throws Exception {
        prometheusDir = Files.createTempDirectory("optik-prometheus-");
        int port = FreePorts.find();
        String realtimeTargets = cluster.realtime.stream().map(n -> "\"127.0.0.1:" + n.managementPort() + "\"")
                .collect(Collectors.joining(", "));
        Files.writeString(prometheusDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s/*.yml
                scrape_configs:
                  - job_name: optik-api
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                  - job_name: optik-realtime
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                """.formatted(REPO.resolve("infra/prometheus/rules"), cluster.api.managementPort(), realtimeTargets));
        prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + prometheusDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(prometheusDir.resolve("prometheus.log").toFile()).start();
        prometheusUrl = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        // every target scraped, twice at least, so rates have two points
        await().atMost(Duration.ofSeconds(30)).until(() -> query("count(up == 1)").path(0).path("value").path(1)
                .asString().equals(String.valueOf(1 + cluster.realtime.size())));
        Thread.sleep(3000);
    }

    static JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = EventCodec.mapper().readTree(r.body());
        if (!"success".equals(body.path("status").asString())) {
            throw new AssertionError("query failed: " + promql + " -> " + r.body());
        }
        return body.path("data").path("result");
    }

    /** Waits (a few scrapes) until the expression returns a series; fails with the expression otherwise. */
    static void returnsSeries(String what, String promql) {
        try {
            await().alias(what + ": " + promql).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> query(promql).size() > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + " returned no series: " + promql);
        }
    }

    @Test
    void everyDashboardPanelReturnsSeries() throws Exception {
        Map<String, String> expressions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(REPO.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = EventCodec.mapper().readTree(Files.readString(file));
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        expressions.put(file.getFileName() + " / " + panel.path("title").asString() + " / "
                                + target.path("refId").asString(), target.path("expr").asString());
                    }
                }
            }
        }
        assertThat(expressions).hasSizeGreaterThan(20);
        expressions.forEach((what, expr) -> returnsSeries(what, expr.replace("$__rate_interval", "30s")));
    }

    @Test
    void everyAlertRuleLoadsEvaluatesAndReturnsSeries() throws Exception {
        JsonNode groups = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> EventCodec.mapper()
                .readTree(HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/rules")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("data").path("groups"), g -> g.size() > 0);
        List<String> names = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("name").asString();
                names.add(name);
                await().alias(name + " evaluated").atMost(Duration.ofSeconds(10)).until(() -> ruleHealth(name).equals("ok"));
                returnsSeries("alert " + name, COMPARISON.matcher(rule.path("query").asString()).replaceAll(" $1 bool "));
            }
        }
        assertThat(names).contains("OptikDeliveryLatencyHigh", "OptikOutboxBacklogGrowing", "OptikNodeDown",
                "OptikReconnectStorm", "OptikNodeNearConnectionLimit", "OptikLowStockAlertRate", "OptikApiErrors",
                "OptikSaleLatencyHigh", "OptikDatabasePoolExhausted");
    }

    private static String ruleHealth(String name) throws Exception {
        JsonNode groups = EventCodec.mapper().readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create(prometheusUrl + "/api/v1/rules")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("data").path("groups");
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("name").asString().equals(name)) {
                    return rule.path("health").asString();
                }
            }
        }
        return "missing";
    }

    @Test
    void promtoolAcceptsBothScrapeConfigurationsTheRulesAndTheirUnitTests() throws Exception {
        Path prom = REPO.resolve("infra/prometheus");
        for (List<String> args : List.of(
                List.of("check", "config", "prometheus-local.yml"),
                List.of("check", "config", "prometheus-kubernetes.yml"),
                List.of("check", "rules", "rules/optik-alerts.yml", "rules-kubernetes/optik-kubernetes.yml"),
                // every alert fires on a series made for it, and stays quiet on one that should not fire it
                List.of("test", "rules", "tests/optik-alerts.test.yml", "tests/optik-kubernetes.test.yml"))) {
            List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).directory(prom.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(String.join(" ", args) + ":\n" + out).isZero();
        }
    }
}
