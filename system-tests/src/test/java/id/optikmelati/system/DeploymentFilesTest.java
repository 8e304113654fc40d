package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests and the compose file, checked offline against the application (they
 * cannot be applied here): ports, probes, grace periods, selectors, and that every environment
 * variable names a configuration property the nodes really have.
 */
class DeploymentFilesTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** The kustomize base's manifests (infra/k8s/base), and the local overlay's configuration. */
    static final List<Map<String, Object>> k8s = new ArrayList<>();
    static final List<Map<String, Object>> localOverlay = new ArrayList<>();
    static final Set<String> knownEnv = new HashSet<>();

    @BeforeAll
    static void read() throws Exception {
        k8s.addAll(KubernetesManifestsTest.manifests(REPO.resolve("infra/k8s/base")));
        localOverlay.addAll(KubernetesManifestsTest.manifests(REPO.resolve("infra/k8s/overlays/local")));
        knownEnv.addAll(propertiesAsEnv(REPO.resolve("api/src/main/java/id/optikmelati/api/ShopProperties.java"), "optik"));
        knownEnv.addAll(propertiesAsEnv(REPO.resolve(
                "realtime-node/src/main/java/id/optikmelati/realtime/RealtimeProperties.java"), "optik.realtime"));
        for (String yml : List.of("api/src/main/resources/application.yml", "realtime-node/src/main/resources/realtime.yml")) {
            Matcher m = Pattern.compile("\\$\\{([A-Z_]+):").matcher(Files.readString(REPO.resolve(yml)));
            while (m.find()) {
                knownEnv.add(m.group(1));
            }
        }
        knownEnv.addAll(List.of("SPRING_PROFILES_ACTIVE", "SERVER_FORWARD_HEADERS_STRATEGY", "JAVA_TOOL_OPTIONS",
                "MANAGEMENT_METRICS_TAGS_POD", "MANAGEMENT_METRICS_TAGS_NAMESPACE"));
        // what the image's launcher itself reads
        Matcher launcher = Pattern.compile("\\$\\{([A-Z_]+):-").matcher(Files.readString(REPO.resolve(START_SH)));
        while (launcher.find()) {
            knownEnv.add(launcher.group(1));
        }
    }

    static final String DOCKERFILE = "infra/docker/Dockerfile";
    static final String START_SH = "infra/docker/start.sh";

    /**
     * The environment names of a @ConfigurationProperties record and its nested records, from their
     * documented components ({@code @param}), as Spring's relaxed binding reads them.
     */
    static Set<String> propertiesAsEnv(Path source, String prefix) throws Exception {
        String text = Files.readString(source);
        Set<String> env = new HashSet<>();
        Matcher block = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(?:@\\w+\\([^)]*\\)\\s*)*public record (\\w+)\\(", Pattern.DOTALL)
                .matcher(text);
        boolean root = true;
        while (block.find()) {
            String recordPrefix = root ? prefix : prefix + "." + kebab(block.group(2));
            root = false;
            Matcher param = Pattern.compile("@param (\\w+)").matcher(block.group(1));
            while (param.find()) {
                env.add((recordPrefix + "." + kebab(param.group(1))).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
        assertThat(env).as("properties of " + source).isNotEmpty();
        return env;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static Object at(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) {
            o = o == null ? null : map(o).get(p);
        }
        return o;
    }

    static List<Map<String, Object>> kind(String kind) {
        return k8s.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @Test
    void deploymentsExposeTheNodesPortsAndProbeThePublicOne() {
        Map<String, Integer> ports = Map.of("optik-api", 8080, "optik-realtime", 8081);
        Map<String, Integer> managementPorts = Map.of("optik-api", 9080, "optik-realtime", 9081);
        assertThat(kind("Deployment")).extracting(d -> at(d, "metadata", "name")).containsExactlyInAnyOrder(
                "optik-api", "optik-realtime");
        for (Map<String, Object> d : kind("Deployment")) {
            String name = (String) at(d, "metadata", "name");
            Map<String, Object> container = map(list(at(d, "spec", "template", "spec", "containers")).get(0));
            Map<String, Object> port = map(list(container.get("ports")).get(0));
            assertThat(port.get("name")).isEqualTo("http");
            assertThat(port.get("containerPort")).as(name).isEqualTo(ports.get(name));
            Map<String, Object> management = map(list(container.get("ports")).get(1));
            assertThat(management.get("name")).isEqualTo("management");
            assertThat(management.get("containerPort")).as(name).isEqualTo(managementPorts.get(name));
            // the probes on the public port (what the Service routes to), as /readyz and /livez
            assertThat(at(container, "readinessProbe", "httpGet")).isEqualTo(Map.of("path", "/readyz", "port", "http"));
            assertThat(at(container, "livenessProbe", "httpGet")).isEqualTo(Map.of("path", "/livez", "port", "http"));
            assertThat(at(container, "resources", "requests", "cpu")).isNotNull();
            assertThat(at(container, "resources", "requests", "memory")).isNotNull();
            assertThat(map(at(d, "spec", "template", "metadata", "labels")).entrySet())
                    .containsAll(map(at(d, "spec", "selector", "matchLabels")).entrySet());
        }
    }

    @Test
    void actuatorIsScrapedOnTheManagementPortThatNothingPublicRoutesTo() throws Exception {
        Map<String, Integer> managementPorts = Map.of("optik-api", 9080, "optik-realtime", 9081);
        Map<String, Object> prometheus = map(new Yaml().load(Files.readString(
                REPO.resolve("infra/prometheus/prometheus-kubernetes.yml"))));
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Integer port = managementPorts.get((String) map(job).get("job_name"));
            if (port != null) {
                assertThat(map(list(map(job).get("dns_sd_configs")).get(0)).get("port")).isEqualTo(port);
            }
        }
        for (String compose : List.of("infra/compose/prometheus.yml", "infra/prometheus/prometheus-local.yml")) {
            assertThat(Files.readString(REPO.resolve(compose))).as(compose)
                    .containsPattern(":9080\"").containsPattern(":9081\"").doesNotContainPattern(":808[0-9]\"");
        }
        // the ingress routes to Services of the public port only
        for (Object rule : list(at(kind("Ingress").get(0), "spec", "rules"))) {
            for (Object path : list(at(map(rule), "http", "paths"))) {
                assertThat(at(map(path), "backend", "service", "port", "name")).isEqualTo("http");
            }
        }
        // and inside the cluster, only Prometheus's namespace reaches the management port
        Map<String, Object> policy = kind("NetworkPolicy").get(0);
        for (Object rule : list(at(policy, "spec", "ingress"))) {
            boolean management = list(map(rule).get("ports")).stream().anyMatch(p -> "management".equals(map(p).get("port")));
            assertThat(map(rule).get("from") != null).as("a rule for the management port names who").isEqualTo(management);
        }
    }

    @Test
    void terminationOutlastsTheNodesOwnDrain() {
        for (Map<String, Object> d : kind("Deployment")) {
            int grace = (Integer) at(d, "spec", "template", "spec", "terminationGracePeriodSeconds");
            String name = (String) at(d, "metadata", "name");
            // realtime: readiness grace (5 s here) + drain timeout (10 s) + Netty; API: 20 s per shutdown phase
            assertThat(grace).as(name).isGreaterThan(name.equals("optik-realtime") ? 5 + 10 : 20);
        }
    }

    @Test
    void servicesBudgetsAndTheAutoscalerPointAtRealPods() {
        Set<Object> labels = new HashSet<>();
        // what the pods are selected by (each Deployment's selector, a part of its pods' labels)
        kind("Deployment").forEach(d -> labels.add(at(d, "spec", "selector", "matchLabels")));
        for (Map<String, Object> s : kind("Service")) {
            assertThat(labels).contains(at(s, "spec", "selector"));
            // the headless ones are Prometheus's, on the management port; the others the ingress's
            String port = at(s, "spec", "clusterIP") == null ? "http" : "management";
            assertThat(list(at(s, "spec", "ports"))).extracting(p -> map(p).get("targetPort")).containsExactly(port);
        }
        for (Map<String, Object> pdb : kind("PodDisruptionBudget")) {
            assertThat(labels).contains(at(pdb, "spec", "selector", "matchLabels"));
        }
        Map<String, Object> hpa = kind("HorizontalPodAutoscaler").get(0);
        assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("optik-realtime");
        assertThat(at(map(list(at(hpa, "spec", "metrics")).get(0)), "pods", "metric", "name"))
                .isEqualTo("optik_realtime_connections");
        // the headless Services are what prometheus-kubernetes.yml discovers pods through
        assertThat(kind("Service")).extracting(s -> at(s, "metadata", "name"))
                .contains("optik-api-pods", "optik-realtime-pods");
    }

    @Test
    void everyEnvironmentVariableIsAConfigurationTheNodesRead() throws Exception {
        List<String> used = new ArrayList<>();
        List<Map<String, Object>> docs = new ArrayList<>(k8s);
        // the overlay's configuration (its own servers' containers are PostgreSQL's and Redis's)
        localOverlay.stream().filter(d -> !"Deployment".equals(d.get("kind"))).forEach(docs::add);
        for (Map<String, Object> doc : docs) {
            if (doc.get("kind").equals("ConfigMap") && "optik".equals(at(doc, "metadata", "namespace"))) {
                used.addAll(map(doc.get("data")).keySet()); // the nodes' environment (not the adapter's file)
            } else if (doc.get("kind").equals("Secret")) {
                used.addAll(map(doc.get("stringData")).keySet());
            } else if (doc.get("kind").equals("Deployment")) {
                for (Object c : list(at(doc, "spec", "template", "spec", "containers"))) {
                    for (Object e : list(map(c).get("env"))) {
                        used.add((String) map(e).get("name"));
                    }
                }
            }
        }
        Map<String, Object> compose = map(new Yaml().load(Files.readString(REPO.resolve("infra/compose/docker-compose.yml"))));
        for (Object service : map(compose.get("services")).values()) {
            Object env = map(service).get("environment");
            if (env != null && map(service).get("build") != null) {
                used.addAll(map(env).keySet());
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(used).allSatisfy(name -> assertThat(knownEnv).as("a configuration named by " + name).contains(name));
    }

    @Test
    void composeRunsTheWholeChainWithTheRepositorysProvisioning() throws Exception {
        Map<String, Object> compose = map(new Yaml().load(Files.readString(REPO.resolve("infra/compose/docker-compose.yml"))));
        assertThat(map(compose.get("services")).keySet()).contains("postgres", "redis", "api-1", "api-2",
                "realtime-1", "realtime-2", "realtime-3", "nginx", "prometheus", "grafana");
        List<Object> grafanaVolumes = list(at(compose, "services", "grafana", "volumes"));
        assertThat(grafanaVolumes).contains("../../grafana/provisioning:/etc/grafana/provisioning:ro",
                "../../grafana/dashboards:/var/lib/grafana/dashboards/optik:ro");
        String provider = Files.readString(REPO.resolve("grafana/provisioning/dashboards/optik.yml"));
        assertThat(provider).contains("path: /var/lib/grafana/dashboards/optik");
        // the compose balancer proxies exactly as the template does
        assertThat(locations(Files.readString(REPO.resolve("infra/compose/nginx.conf"))))
                .isEqualTo(locations(Files.readString(REPO.resolve("infra/nginx/optik.conf.template"))));
    }

    /** The service keys of the Compose specification this file may use (a misspelt one is ignored by nothing). */
    static final Set<String> COMPOSE_SERVICE_KEYS = Set.of("build", "image", "command", "environment", "depends_on",
            "ports", "volumes", "restart", "healthcheck");
    static final Set<String> COMPOSE_HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period",
            "start_interval", "disable");

    @Test
    void composeStartsEachServiceOnceWhatItNeedsIsHealthyAndKeepsTheData() throws Exception {
        Map<String, Object> compose = map(new Yaml().load(Files.readString(REPO.resolve("infra/compose/docker-compose.yml"))));
        assertThat(compose.keySet()).allMatch(k -> Set.of("services", "volumes").contains(k) || k.startsWith("x-"));
        Map<String, Object> services = map(compose.get("services"));
        for (var e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> service = map(e.getValue());
            assertThat(COMPOSE_SERVICE_KEYS).as(name + "'s keys").containsAll(service.keySet());
            assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
            if (service.get("healthcheck") != null) {
                Map<String, Object> check = map(service.get("healthcheck"));
                assertThat(COMPOSE_HEALTHCHECK_KEYS).as(name + "'s healthcheck keys").containsAll(check.keySet());
                assertThat(list(check.get("test")).get(0)).isIn("CMD", "CMD-SHELL");
            }
            Object dependsOn = service.get("depends_on");
            if (dependsOn instanceof Map<?, ?> conditions) {
                conditions.forEach((dependency, condition) -> {
                    assertThat(services).as(name + " depends on " + dependency).containsKey((String) dependency);
                    assertThat(map(condition).keySet()).containsExactly("condition");
                    assertThat(map(condition).get("condition")).isEqualTo("service_healthy");
                    assertThat(map(services.get(dependency)).get("healthcheck")).as(dependency + " has a health check")
                            .isNotNull();
                });
            } else {
                assertThat(list(dependsOn)).allSatisfy(d -> assertThat(services).containsKey((String) d));
            }
        }
        // every node waits for its servers, and the balancer for the nodes, each probed on its public port
        for (String node : List.of("api-1", "api-2", "realtime-1", "realtime-2", "realtime-3")) {
            Map<String, Object> service = map(services.get(node));
            assertThat(map(service.get("depends_on"))).containsKey("redis");
            assertThat(list(at(service, "healthcheck", "test")).toString()).contains("/readyz");
            assertThat(map(at(services, "nginx", "depends_on"))).containsKey(node);
            // behind nginx, the client's address comes from X-Forwarded-For, which nginx sets
            assertThat(map(service.get("environment"))).containsEntry("SERVER_FORWARD_HEADERS_STRATEGY", "native");
        }
        assertThat(map(at(services, "api-1", "depends_on"))).containsKey("postgres");
        // the data outlives the containers
        assertThat(list(at(services, "postgres", "volumes"))).containsExactly("pgdata:/var/lib/postgresql");
        assertThat(list(at(services, "redis", "volumes"))).containsExactly("redisdata:/data");
        assertThat(map(compose.get("volumes")).keySet()).containsExactlyInAnyOrder("pgdata", "redisdata");
    }

    @Test
    void everyAlertHasASeverityARunbookSectionAndAUnitTest() throws Exception {
        String runbook = Files.readString(REPO.resolve("docs/runbook.md"));
        StringBuilder tests = new StringBuilder();
        try (Stream<Path> files = Files.list(REPO.resolve("infra/prometheus/tests"))) {
            for (Path f : files.sorted().toList()) {
                tests.append(Files.readString(f));
            }
        }
        List<String> alerts = new ArrayList<>();
        for (String rules : List.of("rules/optik-alerts.yml", "rules-kubernetes/optik-kubernetes.yml")) {
            Map<String, Object> file = map(new Yaml().load(Files.readString(REPO.resolve("infra/prometheus/" + rules))));
            for (Object group : list(file.get("groups"))) {
                for (Object r : list(map(group).get("rules"))) {
                    Map<String, Object> rule = map(r);
                    String name = (String) rule.get("alert");
                    alerts.add(name);
                    assertThat(map(rule.get("labels")).get("severity")).as(name)
                            .isIn("critical", "warning", "info");
                    assertThat(map(rule.get("annotations")).get("runbook_url")).as(name)
                            .isEqualTo("docs/runbook.md#" + name.toLowerCase(Locale.ROOT));
                    assertThat(runbook).as(name + " in docs/runbook.md").contains("\n## " + name + "\n");
                    assertThat(tests.toString()).as(name + " has a promtool unit test")
                            .contains("alertname: " + name + "\n");
                }
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void theAutoscalersMetricHasAPrometheusAdapterRuleAndThePodLabelsItNeeds() {
        Map<String, Object> hpa = kind("HorizontalPodAutoscaler").get(0);
        String metric = (String) at(map(list(at(hpa, "spec", "metrics")).get(0)), "pods", "metric", "name");
        Map<String, Object> adapter = kind("ConfigMap").stream()
                .filter(c -> "adapter-config".equals(at(c, "metadata", "name"))).findFirst().orElseThrow();
        Map<String, Object> config = map(new Yaml().load((String) map(adapter.get("data")).get("config.yaml")));
        Map<String, Object> rule = list(config.get("rules")).stream().map(DeploymentFilesTest::map)
                .filter(r -> metric.equals(at(r, "name", "as"))).findFirst().orElseThrow();
        assertThat((String) rule.get("seriesQuery")).startsWith(metric + "{");
        assertThat(map(at(rule, "resources", "overrides")).keySet()).containsExactlyInAnyOrder("namespace", "pod");
        // the labels the rule maps come from the pods themselves
        Map<String, Object> realtime = kind("Deployment").stream()
                .filter(d -> "optik-realtime".equals(at(d, "metadata", "name"))).findFirst().orElseThrow();
        List<Object> env = list(map(list(at(realtime, "spec", "template", "spec", "containers")).get(0)).get("env"));
        assertThat(env).extracting(e -> map(e).get("name"))
                .contains("MANAGEMENT_METRICS_TAGS_POD", "MANAGEMENT_METRICS_TAGS_NAMESPACE");
    }

    private static String locations(String conf) {
        return conf.substring(conf.indexOf("location /actuator"));
    }

    /**
     * The JVM uses an AOT cache only with the jars, at the paths, it was trained with; given another
     * path it says so in its log and starts without it, which nothing else would notice.
     */
    @Test
    void theImagesAotCacheIsTrainedOnTheJarItsLauncherStartsWithTheDeployedOptions() throws Exception {
        String dockerfile = Files.readString(REPO.resolve(DOCKERFILE)).replace("\\\n", " ");
        String launcher = Files.readString(REPO.resolve(START_SH));
        Matcher training = Pattern.compile("(?m)^RUN .*JAVA_TOOL_OPTIONS=\"\\$JAVA_TOOL_OPTIONS ([^\"]*)\"\\s+"
                + "java -XX:AOTCacheOutput=(\\S+) -jar (\\S+) --optik\\.realtime\\.training-run=true").matcher(dockerfile);
        assertThat(training.find()).as("the training run in " + DOCKERFILE).isTrue();
        String cache = training.group(2);
        String jar = training.group(3);
        assertThat(jar).startsWith("/"); // a relative path is resolved against the directory the JVM runs in
        assertThat(launcher).contains("cache=\"${OPTIK_AOT_CACHE:-" + cache + "}\"")
                .contains("exec java -XX:AOTCache=\"$cache\" -jar " + jar + " \"$@\"")
                .contains("exec java -jar " + jar + " \"$@\"");
        assertThat(dockerfile).contains("COPY --from=training " + Path.of(cache).getParent() + "/ " + Path.of(cache).getParent() + "/")
                .contains("ENTRYPOINT [\"/app/start.sh\"]");

        Matcher imageOptions = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(imageOptions.find()).isTrue();
        Set<String> trainedWith = new HashSet<>(List.of((imageOptions.group(1) + " " + training.group(1)).split("\\s+")));
        Map<String, Object> realtime = kind("Deployment").stream()
                .filter(d -> "optik-realtime".equals(at(d, "metadata", "name"))).findFirst().orElseThrow();
        Map<String, String> env = new java.util.HashMap<>();
        for (Object e : list(map(list(at(realtime, "spec", "template", "spec", "containers")).get(0)).get("env"))) {
            env.put((String) map(e).get("name"), (String) map(e).get("value"));
        }
        assertThat(env).containsEntry("OPTIK_AOT_CACHE", cache);
        assertThat(Set.of(env.get("JAVA_TOOL_OPTIONS").split("\\s+"))).isEqualTo(trainedWith);

        Map<String, Object> compose = map(new Yaml().load(Files.readString(REPO.resolve("infra/compose/docker-compose.yml"))));
        Map<String, Object> composeNode = map(map(compose.get("services")).get("realtime-1"));
        assertThat(map(at(composeNode, "build", "args"))).containsEntry("AOT_TRAINING", "realtime");
        assertThat(Set.of(((String) map(composeNode.get("environment")).get("JAVA_TOOL_OPTIONS")).split("\\s+")))
                .isEqualTo(trainedWith);
    }

    /** The launcher, run with a {@code java} that only reports what it was given. */
    @Test
    void theImagesLauncherPassesTheAotCacheOnlyWhenTheFileIsThere(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        java.toFile().setExecutable(true);
        Path cache = dir.resolve("app.aot");

        assertThat(launch(bin, cache)).isEqualTo("-jar /app/app.jar --server.port=8081");
        Files.write(cache, new byte[] {1});
        assertThat(launch(bin, cache)).isEqualTo("-XX:AOTCache=" + cache + " -jar /app/app.jar --server.port=8081");
    }

    private static String launch(Path bin, Path cache) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", REPO.resolve(START_SH).toString(), "--server.port=8081")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("OPTIK_AOT_CACHE", cache.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
