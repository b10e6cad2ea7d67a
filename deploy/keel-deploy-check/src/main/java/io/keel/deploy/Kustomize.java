package io.keel.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a Kustomize directory the way {@code kubectl kustomize} does, for the part of Kustomize that Keel's manifests
 * use: {@code resources} (files, and directories holding a kustomization), {@code components}, and {@code patches} given
 * as JSON 6902 operations ({@code path} or inline {@code patch}) with a {@code target} of kind and name. Any other
 * field of a kustomization is refused, so the manifests cannot come to rely on a feature rendered differently here.
 *
 * <p>Order and identity follow Kustomize: resources in the order listed (depth first), then components, then this
 * level's patches; two objects with the same kind, namespace and name are an error.
 */
public final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources", "components", "patches");
    private static final Set<String> PATCH_FIELDS = Set.of("path", "patch", "target");
    private static final Set<String> TARGET_FIELDS = Set.of("kind", "name");

    private Kustomize() {
    }

    /** The objects {@code dir}'s kustomization.yaml renders to. */
    public static List<ObjectNode> render(Path dir) {
        List<ObjectNode> out = build(dir.toAbsolutePath().normalize(), "Kustomization");
        Set<String> ids = new HashSet<>();
        for (ObjectNode o : out) {
            if (!ids.add(id(o))) throw new IllegalStateException(dir + ": " + id(o) + " is defined twice");
        }
        return out;
    }

    /** {@code objects} as one multi-document YAML stream, as {@code kubectl kustomize} prints them. */
    public static String toYaml(List<ObjectNode> objects) {
        StringBuilder s = new StringBuilder();
        for (ObjectNode o : objects) {
            if (!s.isEmpty()) s.append("---\n");
            try {
                s.append(YAML.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return s.toString();
    }

    /** {@code Kind namespace/name}: what Kustomize (and the API server) tells objects apart by. */
    public static String id(JsonNode o) {
        return o.path("kind").asText() + " " + o.at("/metadata/namespace").asText("") + "/" + o.at("/metadata/name").asText();
    }

    private static List<ObjectNode> build(Path dir, String expectedKind) {
        Path file = dir.resolve("kustomization.yaml");
        JsonNode k = readOne(file);
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!KUSTOMIZATION_FIELDS.contains(field)) {
                throw new IllegalStateException(file + ": field '" + field + "' is not supported by this renderer; supported: " + KUSTOMIZATION_FIELDS);
            }
        }
        if (!k.path("kind").asText().equals(expectedKind)) {
            throw new IllegalStateException(file + ": kind must be " + expectedKind + ", is '" + k.path("kind").asText() + "'");
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) objects.addAll(build(p, "Kustomization"));
            else objects.addAll(readAll(p));
        }
        for (JsonNode c : k.path("components")) {
            objects.addAll(build(dir.resolve(c.asText()).normalize(), "Component"));
        }
        for (JsonNode patch : k.path("patches")) apply(dir, file, patch, objects);
        return objects;
    }

    private static void apply(Path dir, Path file, JsonNode patch, List<ObjectNode> objects) {
        checkFields(file, patch, PATCH_FIELDS, "patches[]");
        JsonNode target = patch.path("target");
        checkFields(file, target, TARGET_FIELDS, "patches[].target");
        JsonNode ops;
        if (patch.has("path")) ops = readOne(dir.resolve(patch.get("path").asText()));
        else ops = parse(patch.path("patch").asText(), file + " inline patch");
        if (!(ops instanceof ArrayNode)) {
            throw new IllegalStateException(file + ": only JSON 6902 patches (a list of operations) are supported");
        }
        boolean matched = false;
        for (int i = 0; i < objects.size(); i++) {
            ObjectNode o = objects.get(i);
            if (target.has("kind") && !target.get("kind").asText().equals(o.path("kind").asText())) continue;
            if (target.has("name") && !target.get("name").asText().equals(o.at("/metadata/name").asText())) continue;
            objects.set(i, patch(ops, o));
            matched = true;
        }
        if (!matched) throw new IllegalStateException(file + ": patch target " + target + " matches no object");
    }

    /** Applies RFC 6902 {@code ops} with zjsonpatch. */
    private static ObjectNode patch(JsonNode ops, ObjectNode target) {
        return (ObjectNode) JsonPatch.apply(ops, target.deepCopy());
    }

    private static void checkFields(Path file, JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw new IllegalStateException(file + ": " + where + "." + f + " is not supported; supported: " + allowed);
        }
    }

    private static JsonNode readOne(Path file) {
        List<JsonNode> docs = readDocuments(file);
        if (docs.size() != 1) throw new IllegalStateException(file + ": expected one YAML document, found " + docs.size());
        return docs.getFirst();
    }

    private static List<ObjectNode> readAll(Path file) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode d : readDocuments(file)) {
            if (!(d instanceof ObjectNode o) || !o.hasNonNull("kind")) throw new IllegalStateException(file + ": a document is not a Kubernetes object");
            out.add(o);
        }
        return out;
    }

    static List<JsonNode> readDocuments(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            for (Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) docs.add(d);
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String yaml, String what) {
        try {
            return YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + ": " + e.getOriginalMessage(), e);
        }
    }
}
