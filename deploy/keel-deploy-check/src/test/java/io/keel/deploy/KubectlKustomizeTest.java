package io.keel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@code kubectl} is installed, its {@code kubectl kustomize} renders each overlay to exactly the objects
 * {@link Kustomize} renders (Kustomize sorts its output by kind, so the two are compared by identity). CI machines
 * without kubectl skip this check; the overlays are still rendered and validated by {@link ManifestsTest}.
 */
class KubectlKustomizeTest {
    @ParameterizedTest
    @ValueSource(strings = {"embedded", "scale-out", "gpu-models"})
    void kubectlKustomizeRendersTheSameObjects(String overlay, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed");
        Path out = dir.resolve(overlay + ".yaml");
        Process p = new ProcessBuilder("kubectl", "kustomize", ManifestsTest.KUBERNETES.resolve(overlay).toString())
                .redirectOutput(out.toFile()).redirectErrorStream(false).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();

        Map<String, JsonNode> theirs = byId(Kustomize.readDocuments(out));
        List<ObjectNode> ours = ManifestsTest.render(overlay);
        Path oursFile = dir.resolve("ours.yaml");
        Files.writeString(oursFile, Kustomize.toYaml(ours));
        assertThat(byId(Kustomize.readDocuments(oursFile))).isEqualTo(theirs);
    }

    private static Map<String, JsonNode> byId(List<? extends JsonNode> objects) {
        Map<String, JsonNode> m = new TreeMap<>();
        objects.forEach(o -> m.put(Kustomize.id(o), o));
        return m;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
