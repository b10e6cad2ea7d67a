package io.keel.guard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.core.guard.Direction;
import io.keel.guard.action.Action;
import io.keel.guard.exfil.HostAllowlist;
import io.keel.guard.pii.CountryRecognizers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads policy files (YAML). Unknown keys and bad values fail with the full key path, so a typo never silently
 * weakens a policy. The format is documented in docs/security.md; {@link #defaults()} is the bundled
 * {@code default-policy.yaml}.
 */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("name", "version", "fail_mode", "detector_timeout_ms", "pii", "injection", "exfiltration", "topics",
            "content_safety", "classifier");

    private PolicyLoader() {
    }

    public static GuardPolicy load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(YAML.readTree(in), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy " + file, e);
        }
    }

    public static GuardPolicy fromYaml(String yaml) {
        try {
            return parse(YAML.readTree(yaml), "<string>");
        } catch (IOException e) {
            throw new IllegalArgumentException("policy is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** The policy Keel ships: PII redacted (cards and secrets blocked), injection blocked, images to other hosts removed. */
    public static GuardPolicy defaults() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream("/io/keel/guard/default-policy.yaml")) {
            if (in == null) throw new IllegalStateException("missing bundled default-policy.yaml");
            return parse(YAML.readTree(in), "default-policy.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.yaml} / {@code *.yml} policy in {@code dir}, by policy name (for per-tenant or per-route policies). */
    public static Map<String, GuardPolicy> loadAll(Path dir) {
        Map<String, GuardPolicy> out = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".yaml") && !n.endsWith(".yml")) continue;
                GuardPolicy p = load(f);
                if (out.putIfAbsent(p.name(), p) != null) throw new IllegalArgumentException("two policies named '" + p.name() + "' in " + dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list policies in " + dir, e);
        }
        return out;
    }

    static GuardPolicy parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": a policy must be a YAML mapping");
        String at = source + ": ";
        checkKeys(root, TOP, at);
        String failMode = text(root, "fail_mode", "closed", at).toLowerCase(Locale.ROOT);
        if (!failMode.equals("closed") && !failMode.equals("open")) throw new IllegalArgumentException(at + "fail_mode must be closed or open, not " + failMode);
        return new GuardPolicy(
                required(root, "name", at), required(root, "version", at), failMode.equals("closed"),
                Duration.ofMillis(number(root, "detector_timeout_ms", 2000, at).longValue()),
                pii(root.path("pii"), at + "pii."), injection(root.path("injection"), at + "injection."),
                exfiltration(root.path("exfiltration"), at + "exfiltration."), topics(root.path("topics"), at + "topics"),
                contentSafety(root.path("content_safety"), at + "content_safety."), classifier(root, at));
    }

    private static GuardPolicy.Classifier classifier(JsonNode root, String at) {
        String c = text(root, "classifier", "fine-tuned", at);
        return switch (c) {
            case "fine-tuned" -> GuardPolicy.Classifier.FINE_TUNED;
            case "embedding" -> GuardPolicy.Classifier.EMBEDDING;
            default -> throw new IllegalArgumentException(at + "classifier must be fine-tuned or embedding, not " + c);
        };
    }

    private static GuardPolicy.Pii pii(JsonNode n, String at) {
        checkKeys(n, Set.of("enabled", "default_action", "default_threshold", "entities", "directions", "countries", "models"), at);
        Map<String, GuardPolicy.EntityRule> entities = new LinkedHashMap<>();
        JsonNode e = n.path("entities");
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            var entry = it.next();
            String p = at + "entities." + entry.getKey() + ".";
            JsonNode v = entry.getValue();
            if (v.isTextual()) {
                entities.put(entry.getKey(), new GuardPolicy.EntityRule(action(v.asText(), p), null));
            } else {
                checkKeys(v, Set.of("action", "threshold"), p);
                entities.put(entry.getKey(), new GuardPolicy.EntityRule(
                        v.has("action") ? action(v.get("action").asText(), p + "action") : null,
                        v.has("threshold") ? score(v.get("threshold"), p + "threshold") : null));
            }
        }
        Set<Direction> dirs = EnumSet.noneOf(Direction.class);
        if (n.has("directions")) n.get("directions").forEach(d -> dirs.add(direction(d.asText(), at + "directions")));
        else dirs.addAll(EnumSet.allOf(Direction.class));
        List<String> countries = new ArrayList<>();
        if (n.has("countries")) {
            if (!n.get("countries").isArray()) throw new IllegalArgumentException(at + "countries must be a list of country codes, e.g. [de, kr]");
            for (JsonNode c : n.get("countries")) countries.add(CountryRecognizers.checkCode(c.asText(), at + "countries"));
        }
        List<String> models = new ArrayList<>();
        if (n.has("models")) {
            if (!n.get("models").isArray()) throw new IllegalArgumentException(at + "models must be a list of recognizer names, e.g. [nlp4j-ner]");
            n.get("models").forEach(m -> models.add(m.asText().strip()));
        }
        return new GuardPolicy.Pii(bool(n, "enabled", true, at), action(text(n, "default_action", "redact", at), at + "default_action"),
                n.has("default_threshold") ? score(n.get("default_threshold"), at + "default_threshold") : 0.5, entities, dirs,
                countries, models);
    }

    private static GuardPolicy.Injection injection(JsonNode n, String at) {
        checkKeys(n, Set.of("enabled", "threshold", "action", "sentence_level", "block_threshold", "document_threshold"), at);
        double threshold = n.has("threshold") ? score(n.get("threshold"), at + "threshold") : 0.5;
        double block = n.has("block_threshold") ? score(n.get("block_threshold"), at + "block_threshold") : threshold;
        if (block < threshold) throw new IllegalArgumentException(at + "block_threshold (" + block + ") must be >= threshold (" + threshold + ")");
        double document = n.has("document_threshold") ? score(n.get("document_threshold"), at + "document_threshold") : Math.max(threshold, 0.9);
        return new GuardPolicy.Injection(bool(n, "enabled", true, at), threshold,
                action(text(n, "action", "block", at), at + "action"), bool(n, "sentence_level", true, at), block, document);
    }

    /** Absent: off (policies written before content safety keep their behaviour); the bundled policy turns it on. */
    private static GuardPolicy.ContentSafety contentSafety(JsonNode n, String at) {
        if (n.isMissingNode() || n.isNull()) return GuardPolicy.ContentSafety.off();
        checkKeys(n, Set.of("enabled", "threshold", "default_action", "categories"), at);
        Map<String, Action> categories = new LinkedHashMap<>();
        JsonNode c = n.path("categories");
        if (!c.isMissingNode() && !c.isObject()) throw new IllegalArgumentException(at + "categories must be a mapping of category: action");
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!io.keel.guard.data.HarmCategories.ALL.contains(e.getKey())) {
                throw new IllegalArgumentException(at + "categories." + e.getKey() + ": unknown category (expected one of "
                        + io.keel.guard.data.HarmCategories.ALL + ")");
            }
            categories.put(e.getKey(), action(e.getValue().asText(), at + "categories." + e.getKey()));
        }
        return new GuardPolicy.ContentSafety(bool(n, "enabled", true, at),
                n.has("threshold") ? score(n.get("threshold"), at + "threshold") : 0.5,
                action(text(n, "default_action", "block", at), at + "default_action"), categories);
    }

    private static GuardPolicy.Exfiltration exfiltration(JsonNode n, String at) {
        checkKeys(n, Set.of("enabled", "allowed_hosts", "canaries", "image_action", "link_action", "canary_action"), at);
        return new GuardPolicy.Exfiltration(bool(n, "enabled", true, at), new HostAllowlist(strings(n, "allowed_hosts")),
                strings(n, "canaries"), action(text(n, "image_action", "redact", at), at + "image_action"),
                action(text(n, "link_action", "allow", at), at + "link_action"),
                action(text(n, "canary_action", "block", at), at + "canary_action"));
    }

    private static List<GuardPolicy.Topic> topics(JsonNode n, String at) {
        List<GuardPolicy.Topic> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) return out;
        if (!n.isArray()) throw new IllegalArgumentException(at + " must be a list");
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String p = at + "[" + i + "].";
            checkKeys(t, Set.of("name", "action", "keywords", "patterns", "examples", "similarity"), p);
            List<Pattern> patterns = new ArrayList<>();
            for (String r : strings(t, "patterns")) {
                try {
                    patterns.add(Pattern.compile(r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(p + "patterns: invalid regex '" + r + "': " + e.getDescription());
                }
            }
            out.add(new GuardPolicy.Topic(required(t, "name", p), action(text(t, "action", "block", p), p + "action"),
                    strings(t, "keywords"), patterns, strings(t, "examples"),
                    t.has("similarity") ? score(t.get("similarity"), p + "similarity") : 0.75));
        }
        return out;
    }

    private static void checkKeys(JsonNode n, Set<String> allowed, String at) {
        if (n.isMissingNode() || n.isNull()) return;
        if (!n.isObject()) throw new IllegalArgumentException(at + " must be a mapping");
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) throw new IllegalArgumentException(at + k + ": unknown key (expected one of " + new java.util.TreeSet<>(allowed) + ")");
        });
    }

    private static String required(JsonNode n, String key, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) throw new IllegalArgumentException(at + key + " is required");
        return v.asText();
    }

    private static String text(JsonNode n, String key, String def, String at) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? def : v.asText();
    }

    private static Number number(JsonNode n, String key, long def, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (!v.isNumber()) throw new IllegalArgumentException(at + key + " must be a number");
        return v.numberValue();
    }

    private static boolean bool(JsonNode n, String key, boolean def, String at) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (!v.isBoolean()) throw new IllegalArgumentException(at + key + " must be true or false");
        return v.asBoolean();
    }

    private static double score(JsonNode v, String at) {
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) throw new IllegalArgumentException(at + " must be a number in [0, 1]");
        return v.asDouble();
    }

    private static Action action(String s, String at) {
        try {
            return Action.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
    }

    private static Direction direction(String s, String at) {
        try {
            return Direction.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": unknown direction '" + s + "' (input or output)");
        }
    }

    private static List<String> strings(JsonNode n, String key) {
        List<String> out = new ArrayList<>();
        JsonNode v = n.path(key);
        if (v.isArray()) v.forEach(x -> out.add(x.asText()));
        else if (v.isTextual()) out.add(v.asText());
        return out;
    }
}
