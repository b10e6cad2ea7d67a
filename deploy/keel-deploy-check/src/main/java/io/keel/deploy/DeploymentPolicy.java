package io.keel.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules every workload of Keel's manifests keeps, beyond what the API schema checks:
 * <ul>
 *   <li>images are pinned: a tag other than {@code latest}, or a digest;</li>
 *   <li>every container requests and limits CPU and memory;</li>
 *   <li>pods run as a non-root user ({@code runAsNonRoot} on the pod or the container), containers with a read-only
 *       root filesystem, no privilege escalation and every capability dropped;</li>
 *   <li>every container has startup, liveness and readiness probes; Keel's map to {@code /health/live} (startup,
 *       liveness) and {@code /health/ready} (readiness);</li>
 *   <li>Services, disruption budgets and network policies select the pods of some workload of the same render, and an
 *       autoscaler targets a workload of it.</li>
 * </ul>
 */
public final class DeploymentPolicy {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    private DeploymentPolicy() {
    }

    /** Every violation in {@code objects} (one render), each naming the object and the container. */
    public static List<String> violations(List<? extends JsonNode> objects) {
        List<String> out = new ArrayList<>();
        for (JsonNode o : objects) {
            if (WORKLOADS.contains(o.path("kind").asText())) workload(o, out);
        }
        selectors(objects, out);
        return out;
    }

    private static void workload(JsonNode o, List<String> out) {
        String id = Kustomize.id(o);
        JsonNode pod = o.at("/spec/template/spec");
        boolean podNonRoot = pod.at("/securityContext/runAsNonRoot").asBoolean(false);
        if (pod.at("/securityContext/runAsUser").asLong(-1) == 0) out.add(id + ": the pod runs as user 0 (root)");
        for (JsonNode c : pod.path("containers")) {
            String where = id + " container " + c.path("name").asText();
            image(where, c.path("image").asText(""), out);
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (c.at("/resources/" + kind + "/" + resource).isMissingNode()) {
                        out.add(where + ": no resources." + kind + "." + resource);
                    }
                }
            }
            JsonNode sc = c.path("securityContext");
            if (!podNonRoot && !sc.path("runAsNonRoot").asBoolean(false)) out.add(where + ": runAsNonRoot is not set");
            if (sc.path("runAsUser").asLong(-1) == 0) out.add(where + ": runs as user 0 (root)");
            if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) out.add(where + ": the root filesystem is not read-only");
            if (sc.path("allowPrivilegeEscalation").asBoolean(true)) out.add(where + ": allowPrivilegeEscalation is not false");
            if (!contains(sc.at("/capabilities/drop"), "ALL")) out.add(where + ": capabilities are not all dropped");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                if (!c.has(probe)) out.add(where + ": no " + probe);
            }
            if (c.path("name").asText().equals("keel")) keelProbes(where, c, out);
        }
    }

    private static void keelProbes(String where, JsonNode c, List<String> out) {
        Map<String, String> expected = Map.of("startupProbe", "/health/live", "livenessProbe", "/health/live",
                "readinessProbe", "/health/ready");
        expected.forEach((probe, path) -> {
            if (!c.has(probe)) return;
            String actual = c.at("/" + probe + "/httpGet/path").asText("");
            if (!actual.equals(path)) out.add(where + ": " + probe + " must GET " + path + ", gets '" + actual + "'");
        });
    }

    static void image(String where, String image, List<String> out) {
        if (image.isEmpty()) {
            out.add(where + ": no image");
            return;
        }
        if (image.contains("@sha256:")) return;
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) out.add(where + ": image " + image + " has no tag (that is :latest)");
        else if (image.substring(colon + 1).equals("latest")) out.add(where + ": image " + image + " uses the latest tag");
    }

    private static void selectors(List<? extends JsonNode> objects, List<String> out) {
        List<JsonNode> podLabels = new ArrayList<>();
        List<String> workloadIds = new ArrayList<>();
        for (JsonNode o : objects) {
            if (!WORKLOADS.contains(o.path("kind").asText())) continue;
            podLabels.add(o.at("/spec/template/metadata/labels"));
            workloadIds.add(o.path("kind").asText() + "/" + o.at("/metadata/name").asText());
            if (!matches(o.at("/spec/selector/matchLabels"), o.at("/spec/template/metadata/labels"))) {
                out.add(Kustomize.id(o) + ": spec.selector does not match the pod template's labels");
            }
        }
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            JsonNode selector = switch (kind) {
                case "Service" -> o.at("/spec/selector");
                case "PodDisruptionBudget" -> o.at("/spec/selector/matchLabels");
                case "NetworkPolicy" -> o.at("/spec/podSelector/matchLabels");
                default -> null;
            };
            if (selector != null && podLabels.stream().noneMatch(labels -> matches(selector, labels))) {
                out.add(Kustomize.id(o) + ": selects no pod of this deployment");
            }
            if (kind.equals("HorizontalPodAutoscaler")) {
                String target = o.at("/spec/scaleTargetRef/kind").asText() + "/" + o.at("/spec/scaleTargetRef/name").asText();
                if (!workloadIds.contains(target)) out.add(Kustomize.id(o) + ": scales " + target + ", which is not deployed");
            }
        }
    }

    /** Whether every label of {@code selector} (a non-empty map) is among {@code labels}. */
    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector == null || !selector.isObject() || selector.isEmpty()) return false;
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) return false;
        }
        return true;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) if (n.asText().equals(value)) return true;
        return false;
    }
}
