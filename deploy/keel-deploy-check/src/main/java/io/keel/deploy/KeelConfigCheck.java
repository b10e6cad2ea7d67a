package io.keel.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.config.KeelConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code keel.yaml} of a render's {@code keel-config} ConfigMap with Keel's own configuration reader, in the
 * environment the Keel container of each workload sets (values as written; values from Secrets as a placeholder): an
 * unknown key, a wrong type or a value out of range fails here as it would fail the pod at startup.
 */
public final class KeelConfigCheck {
    static final String CONFIG_MAP = "keel-config";

    private KeelConfigCheck() {
    }

    /** The problems of the render's Keel configuration; empty when every Keel container would start with it. */
    public static List<String> problems(List<? extends JsonNode> objects) {
        List<String> out = new ArrayList<>();
        JsonNode yaml = objects.stream()
                .filter(o -> o.path("kind").asText().equals("ConfigMap") && o.at("/metadata/name").asText().equals(CONFIG_MAP))
                .map(o -> o.at("/data/keel.yaml")).findFirst().orElse(null);
        if (yaml == null || !yaml.isTextual()) return List.of("no ConfigMap " + CONFIG_MAP + " with a keel.yaml");
        Map<String, Object> tree;
        try {
            tree = Kustomize.YAML.readValue(yaml.asText(), new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return List.of(CONFIG_MAP + ": keel.yaml is not YAML: " + e.getOriginalMessage());
        }
        if (tree == null) tree = Map.of();
        for (JsonNode o : objects) {
            for (JsonNode c : o.at("/spec/template/spec/containers")) {
                if (!c.path("name").asText().equals("keel")) continue;
                try {
                    KeelConfig config = KeelConfig.fromTree(tree, env(c));
                    if (config.server().port() != c.at("/ports/0/containerPort").asInt()) {
                        out.add(Kustomize.id(o) + ": keel.yaml's server.port " + config.server().port()
                                + " is not the container port " + c.at("/ports/0/containerPort").asInt());
                    }
                } catch (RuntimeException e) {
                    out.add(Kustomize.id(o) + ": Keel would not start with keel.yaml: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.get("value").asText() : "<from " + e.path("valueFrom").fieldNames().next() + ">");
        }
        return env;
    }
}
