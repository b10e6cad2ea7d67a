package io.keel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every overlay of deploy/kubernetes renders, every object it renders is valid against the Kubernetes API schema,
 * keeps the deployment policy and starts Keel with its keel.yaml; manifests broken on purpose are refused.
 * The renders are written to target/rendered/ for {@code kubectl apply -f} or a diff.
 */
class ManifestsTest {
    static final Path KUBERNETES = Path.of("..", "kubernetes");
    static final List<String> OVERLAYS = List.of("embedded", "scale-out", "gpu-models");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|PASSWORD|SECRET).*");

    static List<ObjectNode> render(String overlay) {
        return Kustomize.render(KUBERNETES.resolve(overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "scale-out", "gpu-models"})
    void everyOverlayRendersToValidObjectsThatKeepThePolicy(String overlay) throws Exception {
        List<ObjectNode> objects = render(overlay);
        Files.createDirectories(Path.of("target", "rendered"));
        Files.writeString(Path.of("target", "rendered", overlay + ".yaml"), Kustomize.toYaml(objects));

        List<String> problems = new ArrayList<>();
        objects.forEach(o -> problems.addAll(ApiSchema.problems(o)));
        problems.addAll(DeploymentPolicy.violations(objects));
        problems.addAll(KeelConfigCheck.problems(objects));
        assertThat(problems).as(overlay).isEmpty();

        assertThat(objects).as("no Secret is rendered: provider keys and passwords are created in the cluster")
                .noneMatch(o -> o.path("kind").asText().equals("Secret"));
        for (ObjectNode o : objects) {
            for (JsonNode c : o.at("/spec/template/spec/containers")) {
                if (c.path("name").asText().equals("keel")) {
                    // `keel` commands run with kubectl exec read ./keel.yaml: the working directory holds it
                    List<String> configMounts = new ArrayList<>();
                    c.path("volumeMounts").forEach(m -> {
                        if (m.path("name").asText().equals("config")) configMounts.add(m.path("mountPath").asText());
                    });
                    assertThat(configMounts).as(Kustomize.id(o)).containsExactly(c.path("workingDir").asText());
                }
                for (JsonNode e : c.path("env")) {
                    if (SECRET_NAME.matcher(e.path("name").asText()).matches()) {
                        assertThat(e.has("value")).as(Kustomize.id(o) + " sets " + e.path("name").asText() + " from a Secret, never a value").isFalse();
                    }
                }
            }
        }
    }

    @Test
    void scaleOutIsAStatelessDeploymentOnPostgresqlWithAutoscalingAndADisruptionBudget() {
        List<ObjectNode> objects = render("scale-out");
        assertThat(kinds(objects)).contains("Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "Ingress", "NetworkPolicy", "ServiceMonitor", "PrometheusRule", "ServiceAccount").doesNotContain("StatefulSet");
        JsonNode hpa = one(objects, "HorizontalPodAutoscaler", "keel");
        assertThat(hpa.at("/spec/metrics").findValuesAsText("type")).contains("Resource", "Pods");
        assertThat(hpa.at("/spec/metrics/1/pods/metric/name").asText()).isEqualTo("keel_requests_per_second");
        String keelYaml = one(objects, "ConfigMap", "keel-config").at("/data/keel.yaml").asText();
        assertThat(keelYaml).contains("backend: postgresql").contains("backend: pgvector");
        JsonNode volumes = one(objects, "Deployment", "keel").at("/spec/template/spec/volumes");
        assertThat(volumes.findValues("persistentVolumeClaim")).as("no state on the pods' volumes").isEmpty();
    }

    @Test
    void embeddedIsOneStatefulSetReplicaWithItsOwnVolume() {
        List<ObjectNode> objects = render("embedded");
        assertThat(kinds(objects)).contains("StatefulSet").doesNotContain("Deployment", "HorizontalPodAutoscaler");
        JsonNode sts = one(objects, "StatefulSet", "keel");
        assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(sts.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("data");
        assertThat(sts.at("/spec/template/spec/containers/0/volumeMounts").findValuesAsText("mountPath")).contains("/var/lib/keel");
    }

    @Test
    void theGpuPoolServesKeelsChatModelThroughItsService() {
        List<ObjectNode> objects = render("gpu-models");
        JsonNode vllm = one(objects, "Deployment", "keel-vllm").at("/spec/template/spec/containers/0");
        assertThat(vllm.at("/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("1");
        assertThat(vllm.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(vllm.at("/volumeMounts").findValuesAsText("mountPath")).contains("/models");
        JsonNode service = one(objects, "Service", "keel-vllm");
        String endpoint = "http://keel-vllm:" + service.at("/spec/ports/0/port").asInt() + "/v1";
        assertThat(one(objects, "ConfigMap", "keel-config").at("/data/keel.yaml").asText()).contains(endpoint);
        assertThat(kinds(objects)).contains("HorizontalPodAutoscaler", "Ingress");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "missing-probe | container keel: no readinessProbe",
            "missing-limit | container keel: no resources.limits.memory",
            "latest-image  | image keel:latest uses the latest tag",
            "root-writable | container keel: the root filesystem is not read-only",
            "unknown-field | spec.template.spec.containers[0].readinessProbe.httpGet.pathh: no such field in the API schema",
            "bad-keel-yaml | unknown configuration key 'server.shutdown_graec'"})
    void aBrokenManifestIsRefused(String broken, String expected) {
        List<ObjectNode> objects = Kustomize.render(Path.of("src", "test", "resources", "broken", broken));
        List<String> problems = new ArrayList<>();
        objects.forEach(o -> problems.addAll(ApiSchema.problems(o)));
        problems.addAll(DeploymentPolicy.violations(objects));
        problems.addAll(KeelConfigCheck.problems(objects));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void anObjectOfAnUnknownKindOrAWrongTypeIsRefused() throws Exception {
        JsonNode unknown = Kustomize.YAML.readTree("{apiVersion: apps/v1, kind: Deploymint, metadata: {name: x}}");
        assertThat(ApiSchema.problems(unknown)).singleElement().asString().contains("not a known API type");
        JsonNode wrongType = Kustomize.YAML.readTree("{apiVersion: v1, kind: Service, metadata: {name: x}, spec: {ports: {port: 80}}}");
        assertThat(ApiSchema.problems(wrongType)).singleElement().asString().contains("does not match the API schema");
        JsonNode badQuantity = Kustomize.YAML.readTree("{apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: "
                + "[{name: c, image: 'a:1', resources: {limits: {memory: 'lots'}}}]}}");
        assertThat(ApiSchema.problems(badQuantity)).anySatisfy(p -> assertThat(p).contains("'lots' is not a quantity"));
    }

    @Test
    void theRendererRefusesKustomizeFeaturesItDoesNotImplement(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namePrefix: prod-
                resources: []
                """);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("field 'namePrefix' is not supported");
    }

    static Set<String> kinds(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet());
    }

    static JsonNode one(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
