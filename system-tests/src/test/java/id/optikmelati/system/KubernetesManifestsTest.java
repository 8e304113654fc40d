package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kubernetes manifests as the API server would read them: every document of the kustomize base and
 * the local overlay is bound to fabric8's typed Kubernetes model, and a field the model does not have (a
 * misspelt or misplaced one, which kubectl would reject or, worse, drop) fails here; and the things a
 * cluster operator expects of them: kustomizations that list what is there, the recommended
 * {@code app.kubernetes.io/*} labels, startup probes, and pods that run unprivileged.
 */
class KubernetesManifestsTest {

    static final Path K8S = Path.of("..").toAbsolutePath().normalize().resolve("infra/k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path LOCAL = K8S.resolve("overlays/local");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Set<String> RECOMMENDED_LABELS = Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/version",
            "app.kubernetes.io/managed-by");
    /** The fields of a Kustomization this repository uses (kustomize v5 knows more; none else is expected). */
    static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources", "images", "replicas",
            "patches");

    /** Every manifest of a folder's YAML files, the kustomization itself left out. */
    static List<Map<String, Object>> manifests(Path folder) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !isKustomization(p)).sorted().toList()) {
                docs.addAll(documents(Files.readString(f)));
            }
        }
        return docs;
    }

    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                docs.add(DeploymentFilesTest.map(doc));
            }
        }
        return docs;
    }

    static boolean isKustomization(Path p) {
        return p.getFileName().toString().equals("kustomization.yaml");
    }

    @Test
    void everyManifestBindsToTheTypedModelWithNoUnknownField() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>(manifests(BASE));
        all.addAll(manifests(LOCAL));
        assertThat(all).hasSizeGreaterThanOrEqualTo(19);
        for (Map<String, Object> doc : all) {
            typed(doc, "file");
        }
    }

    /**
     * What kustomize makes of the base and the overlay, bound the same way: where {@code kubectl} (with its
     * built-in kustomize, v4 or later) is installed, as on the CI machine ({@code OPTIK_KUBECTL} names another).
     * Without it, the kustomizations are still checked field by field in the next test.
     */
    @Test
    void whatKustomizeBuildsBindsToTheTypedModelToo() throws Exception {
        Optional<Path> kubectl = kubectl();
        if (kubectl.isEmpty()) {
            System.out.println("[KubernetesManifestsTest] no kubectl: the kustomize build is not run here;"
                    + " set OPTIK_KUBECTL to a kubectl with kustomize v4+ to include it");
            return;
        }
        List<Map<String, Object>> local = kustomize(kubectl.get(), LOCAL);
        for (Map<String, Object> doc : kustomize(kubectl.get(), BASE)) {
            typed(doc, "kustomize build of the base");
        }
        for (Map<String, Object> doc : local) {
            typed(doc, "kustomize build of overlays/local");
        }
        // the overlay's changes are there: one API node, no TLS, demo data, servers of its own
        Deployment api = JSON.convertValue(find(local, "Deployment", "optik-api"), Deployment.class);
        assertThat(api.getSpec().getReplicas()).isEqualTo(1);
        assertThat(DeploymentFilesTest.at(find(local, "Ingress", "optik"), "spec", "tls")).isNull();
        assertThat(DeploymentFilesTest.at(find(local, "ConfigMap", "optik-config"), "data", "SPRING_PROFILES_ACTIVE"))
                .isEqualTo("demo");
        assertThat(find(local, "Deployment", "postgres")).isNotNull();
        assertThat(find(local, "Deployment", "redis")).isNotNull();
    }

    @Test
    void kustomizationsListWhatIsThereAndPatchWhatExists() throws IOException {
        Map<String, Object> base = kustomization(BASE);
        try (Stream<Path> files = Files.list(BASE)) {
            assertThat(DeploymentFilesTest.list(base.get("resources"))).as("every manifest of the base is in it")
                    .containsExactlyInAnyOrderElementsOf(files.filter(p -> p.toString().endsWith(".yaml")
                            && !isKustomization(p)).map(p -> p.getFileName().toString()).toList());
        }
        Map<String, Object> local = kustomization(LOCAL);
        for (Object resource : DeploymentFilesTest.list(local.get("resources"))) {
            assertThat(LOCAL.resolve((String) resource)).as("resource " + resource).exists();
        }
        List<Map<String, Object>> baseDocs = manifests(BASE);
        for (Object p : DeploymentFilesTest.list(local.get("patches"))) {
            Map<String, Object> patch = DeploymentFilesTest.map(p);
            if (patch.get("path") != null) {
                for (Map<String, Object> doc : documents(Files.readString(LOCAL.resolve((String) patch.get("path"))))) {
                    assertThat(find(baseDocs, (String) doc.get("kind"), name(doc))).as("patched " + name(doc)).isNotNull();
                }
            } else {
                Map<String, Object> target = DeploymentFilesTest.map(patch.get("target"));
                assertThat(find(baseDocs, (String) target.get("kind"), (String) target.get("name")))
                        .as("patch target " + target).isNotNull();
            }
        }
        for (Object r : DeploymentFilesTest.list(local.get("replicas"))) {
            assertThat(find(baseDocs, "Deployment", (String) DeploymentFilesTest.map(r).get("name"))).isNotNull();
        }
        List<String> images = baseDocs.stream().filter(d -> "Deployment".equals(d.get("kind")))
                .flatMap(d -> JSON.convertValue(d, Deployment.class).getSpec().getTemplate().getSpec().getContainers()
                        .stream()).map(c -> c.getImage().replaceAll(":.*", "")).toList();
        for (Object i : DeploymentFilesTest.list(local.get("images"))) {
            assertThat(images).contains((String) DeploymentFilesTest.map(i).get("name"));
        }
    }

    @Test
    void theNodesCarryTheRecommendedLabelsAndAreSelectedByNameAndInstance() throws IOException {
        for (Map<String, Object> doc : manifests(BASE)) {
            String kind = (String) doc.get("kind");
            if (List.of("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler").contains(kind)) {
                assertThat(DeploymentFilesTest.map(DeploymentFilesTest.at(doc, "metadata", "labels")).keySet())
                        .as(kind + " " + name(doc)).containsAll(RECOMMENDED_LABELS);
            }
            if (kind.equals("Deployment")) {
                Deployment d = JSON.convertValue(doc, Deployment.class);
                assertThat(d.getSpec().getSelector().getMatchLabels()).containsOnlyKeys("app.kubernetes.io/name",
                        "app.kubernetes.io/instance");
                assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(
                        d.getMetadata().getLabels());
            }
        }
    }

    @Test
    void theNodesStartBeforeLivenessCountsAndRunUnprivileged() throws IOException {
        List<Map<String, Object>> deployments = manifests(BASE).stream()
                .filter(d -> "Deployment".equals(d.get("kind"))).toList();
        assertThat(deployments).hasSize(2);
        for (Map<String, Object> doc : deployments) {
            PodSpec pod = JSON.convertValue(doc, Deployment.class).getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            for (Container c : pod.getContainers()) {
                assertThat(c.getStartupProbe()).as(c.getName() + " startup probe").isNotNull();
                assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/livez");
                assertThat(c.getLivenessProbe().getInitialDelaySeconds()).as("the startup probe covers the start").isNull();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                // a read-only root, and the JVM's temporary files on a volume of the pod's
                assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            }
        }
    }

    @Test
    void aMisspeltOrMisplacedFieldIsCaught() {
        Map<String, Object> doc = documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          ports: [{containerPrt: 8080}]
                          readinesProbe: {httpGet: {path: /readyz, port: http}}
                """).get(0);
        List<String> unknown = new ArrayList<>();
        unknownFields(JSON.convertValue(doc, KubernetesResource.class), "Deployment", unknown);
        assertThat(unknown).containsExactlyInAnyOrder("Deployment.spec.template.spec.containers[0].ports[0].containerPrt",
                "Deployment.spec.template.spec.containers[0].readinesProbe");
        Map<String, Object> wrongKind = documents("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n").get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> typed(wrongKind, "test"))
                .isInstanceOf(AssertionError.class);
    }

    // ---- binding and walking the typed model ----

    /** The document as its typed resource; fails on an unknown kind or apiVersion and on any field the model lacks. */
    static KubernetesResource typed(Map<String, Object> doc, String where) {
        String what = where + ": " + doc.get("kind") + " " + name(doc);
        KubernetesResource resource;
        try {
            resource = JSON.convertValue(doc, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " does not bind: " + e.getMessage(), e);
        }
        assertThat(resource).as(what + ": a kind and apiVersion Kubernetes has")
                .isInstanceOf(HasMetadata.class).isNotInstanceOf(GenericKubernetesResource.class);
        List<String> unknown = new ArrayList<>();
        unknownFields(resource, String.valueOf(doc.get("kind")), unknown);
        assertThat(unknown).as(what + ": fields the Kubernetes model does not have").isEmpty();
        return resource;
    }

    /** Collects the paths of fields a model object took into its additional properties (Jackson's any-setter). */
    static void unknownFields(Object o, String path, List<String> unknown) {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    unknownFields(e, path + "[" + i++ + "]", unknown);
                }
            } else if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
            }
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                unknownFields(value, path + "." + decapitalize(getter.getName().substring(3)), unknown);
            }
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String name(Map<String, Object> doc) {
        return (String) DeploymentFilesTest.at(doc, "metadata", "name");
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(name(d))).findFirst().orElse(null);
    }

    static Map<String, Object> kustomization(Path folder) throws IOException {
        Map<String, Object> k = DeploymentFilesTest.map(new Yaml().load(Files.readString(folder.resolve("kustomization.yaml"))));
        assertThat(k.get("apiVersion")).isEqualTo("kustomize.config.k8s.io/v1beta1");
        assertThat(k.get("kind")).isEqualTo("Kustomization");
        assertThat(KUSTOMIZATION_FIELDS).as("fields of " + folder.relativize(K8S)).containsAll(k.keySet());
        return k;
    }

    static Optional<Path> kubectl() {
        String configured = System.getenv("OPTIK_KUBECTL");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                fail("OPTIK_KUBECTL=" + configured + " is not an executable");
            }
            return Optional.of(Path.of(configured));
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(d -> Path.of(d, "kubectl"))
                .filter(Files::isExecutable).findFirst();
    }

    static List<Map<String, Object>> kustomize(Path kubectl, Path folder) throws Exception {
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", folder.toString()).redirectErrorStream(false)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize " + folder + ": " + err).isZero();
        assertThat(err).as("kustomize warns (a deprecated field?)").isBlank();
        return documents(out);
    }
}
