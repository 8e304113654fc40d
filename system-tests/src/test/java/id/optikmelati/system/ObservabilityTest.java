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
import java.util.regex.Matcher;
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

    static Map<Path, JsonNode> dashboards() throws IOException {
        Map<Path, JsonNode> dashboards = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(REPO.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.put(file.getFileName(), EventCodec.mapper().readTree(Files.readString(file)));
            }
        }
        return dashboards;
    }

    /** A variable's options as Grafana makes them: its query's values, through its regex (text and value groups). */
    static List<Map.Entry<String, String>> variableOptions(JsonNode variable) throws Exception {
        String query = variable.path("query").path("query").asString();
        List<String> raw = new ArrayList<>();
        Matcher labelValues = Pattern.compile("^label_values\\((.*), *(\\w+)\\)$").matcher(query);
        Matcher queryResult = Pattern.compile("^query_result\\((.*)\\)$").matcher(query);
        if (labelValues.matches()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/label/"
                    + labelValues.group(2) + "/values?match[]=" + URLEncoder.encode(labelValues.group(1),
                    StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            EventCodec.mapper().readTree(r.body()).path("data").forEach(v -> raw.add(v.asString()));
        } else if (queryResult.matches()) {
            // as Grafana writes each series of a query_result: name{label="value", ...} value timestamp
            for (JsonNode series : query(queryResult.group(1))) {
                List<String> labels = new ArrayList<>();
                series.path("metric").properties().forEach(e -> {
                    if (!e.getKey().equals("__name__")) {
                        labels.add(e.getKey() + "=\"" + e.getValue().asString() + "\"");
                    }
                });
                raw.add(series.path("metric").path("__name__").asString() + "{" + String.join(", ", labels) + "} "
                        + series.path("value").path(1).asString());
            }
        } else {
            throw new AssertionError("a variable query this test does not know: " + query);
        }
        String regex = variable.path("regex").asString("");
        List<Map.Entry<String, String>> options = new ArrayList<>();
        for (String value : raw) {
            if (regex.isEmpty()) {
                options.add(Map.entry(value, value));
                continue;
            }
            Matcher m = Pattern.compile(regex.substring(1, regex.lastIndexOf('/'))).matcher(value);
            if (m.find()) {
                String v = regex.contains("(?<value>") ? m.group("value") : m.group(1);
                options.add(Map.entry(regex.contains("(?<text>") ? m.group("text") : v, v));
            }
        }
        return options;
    }

    /**
     * Every panel's query returns series with its variables set to real options: the first option for
     * which it has data (a node that had no disconnect yet has no disconnect series).
     */
    @Test
    void everyDashboardVariableHasOptionsAndEveryPanelReturnsSeriesWithThem() throws Exception {
        Map<String, List<String>> expressions = new LinkedHashMap<>();
        for (var d : dashboards().entrySet()) {
            Map<String, List<String>> chosen = new LinkedHashMap<>();
            for (JsonNode variable : d.getValue().path("templating").path("list")) {
                String name = variable.path("name").asString();
                List<Map.Entry<String, String>> options = await().alias(d.getKey() + " variable " + name)
                        .atMost(Duration.ofSeconds(20)).until(() -> variableOptions(variable), o -> !o.isEmpty());
                chosen.put(name, options.stream().map(Map.Entry::getValue).toList());
                if (name.equals("branch")) {
                    // shown by name: the chain's own names, one per branch id
                    List<String> names = new ArrayList<>();
                    cluster.shop().get("/api/branches", cluster.shop().login("superadmin", "melati-demo")).body()
                            .forEach(b -> names.add(b.get("name").asString()));
                    assertThat(options).extracting(Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(names);
                }
            }
            for (JsonNode panel : d.getValue().path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asString();
                    Matcher used = Pattern.compile("\\$(\\w+)").matcher(expr);
                    while (used.find()) {
                        if (!used.group(1).startsWith("__")) {
                            assertThat(chosen).as(d.getKey() + " defines $" + used.group(1)).containsKey(used.group(1));
                        }
                    }
                    List<String> bound = List.of(expr);
                    for (var c : chosen.entrySet()) {
                        bound = bound.stream().flatMap(e -> e.contains("$" + c.getKey())
                                ? c.getValue().stream().map(v -> e.replace("$" + c.getKey(), v)) : Stream.of(e)).toList();
                    }
                    expressions.put(d.getKey() + " / " + panel.path("title").asString() + " / "
                            + target.path("refId").asString(), bound);
                }
            }
            for (String variable : chosen.keySet()) {
                assertThat(d.getValue().path("panels").toString()).as(d.getKey() + " uses $" + variable)
                        .contains("$" + variable);
            }
        }
        assertThat(expressions).hasSizeGreaterThan(20);
        expressions.forEach((what, bound) -> {
            List<String> exprs = bound.stream().map(e -> e.replace("$__rate_interval", "30s")).toList();
            for (String expr : exprs) {
                try {
                    if (query(expr).size() > 0) {
                        return;
                    }
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            returnsSeries(what, exprs.get(0)); // waits a few scrapes, then fails naming it
        });
    }

    /** One unit per panel (so per axis), lines at the SLOs the alerts hold, and the business day in Jakarta. */
    @Test
    void dashboardsShowOneUnitPerAxisTheSloLinesAndTheShopsToday() throws Exception {
        Map<Path, JsonNode> dashboards = dashboards();
        for (var d : dashboards.entrySet()) {
            for (JsonNode panel : d.getValue().path("panels")) {
                String what = d.getKey() + " / " + panel.path("title").asString();
                assertThat(panel.path("fieldConfig").path("defaults").path("unit").asString("")).as(what + " unit")
                        .isNotEmpty();
                assertThat(panel.path("fieldConfig").path("overrides").toString()).as(what + ": no second unit")
                        .doesNotContain("\"unit\"");
            }
        }
        Map<String, Object> alerts = new org.yaml.snakeyaml.Yaml().load(Files.readString(
                REPO.resolve("infra/prometheus/rules/optik-alerts.yml")));
        Map<String, String> alertExpr = new LinkedHashMap<>();
        for (Object group : DeploymentFilesTest.list(alerts.get("groups"))) {
            for (Object rule : DeploymentFilesTest.list(DeploymentFilesTest.map(group).get("rules"))) {
                alertExpr.put((String) DeploymentFilesTest.map(rule).get("alert"),
                        (String) DeploymentFilesTest.map(rule).get("expr"));
            }
        }
        JsonNode realtime = dashboards.get(Path.of("realtime-cluster.json"));
        assertThat(thresholdOf(realtime, "optik_realtime_delivery_latency_seconds_bucket"))
                .isEqualTo(alertThreshold(alertExpr.get("OptikDeliveryLatencyHigh"))).isEqualTo(2.0);
        assertThat(thresholdOf(realtime, "optik_outbox_backlog"))
                .isEqualTo(alertThreshold(alertExpr.get("OptikOutboxBacklogGrowing").split(" and ")[0]));
        assertThat(thresholdOf(realtime, "optik_outbox_relay_lag_seconds_bucket")).isEqualTo(1.0);
        JsonNode business = dashboards.get(Path.of("business.json"));
        assertThat(business.path("timezone").asString()).isEqualTo("Asia/Jakarta");
        assertThat(business.path("time").path("from").asString()).isEqualTo("now/d");
    }

    private static double thresholdOf(JsonNode dashboard, String metric) {
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("targets").toString().contains(metric)) {
                JsonNode steps = panel.path("fieldConfig").path("defaults").path("thresholds").path("steps");
                return steps.get(steps.size() - 1).path("value").asDouble();
            }
        }
        throw new AssertionError("no panel shows " + metric);
    }

    private static double alertThreshold(String expr) {
        Matcher m = Pattern.compile(">\\s*([0-9.]+)\\s*$").matcher(expr.trim());
        assertThat(m.find()).as(expr).isTrue();
        return Double.parseDouble(m.group(1));
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
