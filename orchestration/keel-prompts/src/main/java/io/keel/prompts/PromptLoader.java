package io.keel.prompts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keel.core.chat.ChatMessage;
import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and validates prompt files. Validation is complete and strict at load time (unknown keys, bad roles, broken
 * placeholders, variables the schema does not declare, tests naming unknown variables all fail) because a prompt
 * that loads should never fail later for a reason visible in the file. Errors name the file, the prompt id and the
 * field. See {@code prompts/README.md} for the format.
 */
public final class PromptLoader {
    /** Prompt ids: lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private static final Pattern UNQUOTED_PLACEHOLDER = Pattern.compile("(?m)^[^#\\n]*:[ \\t]+\\{\\{");
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> TOP = Set.of("id", "version", "description", "model", "input_schema", "messages", "template", "tests");
    private static final Set<String> MODEL = Set.of("model", "temperature", "max_tokens", "top_p", "stop");
    private static final Set<String> MESSAGE = Set.of("role", "content");
    private static final Set<String> TEST = Set.of("name", "vars", "recorded_response", "assert");
    private static final Set<String> ASSERT = Set.of("contains", "not_contains", "regex", "json_schema", "max_tokens");

    private PromptLoader() {
    }

    /** Loads one prompt file. */
    public static PromptFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses prompt file text.
     *
     * @param origin where the text comes from, for error messages
     * @throws KeelException (invalid request) naming origin, prompt id and field on any problem
     */
    public static PromptFile parse(String text, String origin) {
        Object tree;
        try {
            tree = YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            boolean braces = UNQUOTED_PLACEHOLDER.matcher(text).find();
            throw KeelException.invalid(origin + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")
                    + (braces ? "; a value that starts with '{{' must be quoted or written as a block scalar (|)" : ""));
        }
        return new Reader(origin).prompt(tree, text);
    }

    /** Walks the YAML tree, keeping enough context (file, id) to say where a problem is. */
    private static final class Reader {
        private final String origin;
        private String id;

        Reader(String origin) {
            this.origin = origin;
        }

        PromptFile prompt(Object tree, String text) {
            if (!(tree instanceof Map<?, ?>)) throw fail(null, "the file must be a YAML mapping with at least 'id' and 'messages' or 'template'");
            Map<String, Object> top = map(tree, "(top level)");
            Object rawId = top.get("id");
            if (rawId instanceof String s && ID.matcher(s).matches()) id = s;
            else throw fail("id", rawId == null ? "is required" : "'" + rawId + "' must match " + ID.pattern());
            keys(top, TOP, null);
            String semver = string(top, "version", null, false);
            if (semver != null && !PromptVersion.SEMVER.matcher(semver).matches()) {
                throw fail("version", "'" + semver + "' is not a semantic version like 1.2.0 (the content hash is added on its own)");
            }
            String description = string(top, "description", null, false);
            ModelParams model = top.containsKey("model") ? model(top.get("model")) : ModelParams.NONE;
            InputSchema schema = null;
            if (top.containsKey("input_schema")) {
                try {
                    schema = InputSchema.of(map(top.get("input_schema"), "input_schema"));
                } catch (IllegalArgumentException e) {
                    throw fail("input_schema", e.getMessage());
                }
            }
            List<PromptMessage> messages = messages(top);
            Set<String> used = new java.util.LinkedHashSet<>();
            for (PromptMessage m : messages) used.addAll(m.template().variables());
            if (schema != null && !schema.properties().isEmpty()) {
                for (String v : used) {
                    if (!schema.properties().contains(v)) {
                        throw fail("input_schema.properties", "does not declare '" + v + "', which the messages use as {{" + v + "}}");
                    }
                }
                for (String p : schema.properties()) {
                    if (!used.contains(p)) throw fail("input_schema.properties." + p, "is declared but no message uses {{" + p + "}}");
                }
            }
            List<PromptTest> tests = tests(top.get("tests"));
            return new PromptFile(id, semver, description, model, schema, messages, tests, origin, text);
        }

        private ModelParams model(Object raw) {
            Map<String, Object> m = map(raw, "model");
            keys(m, MODEL, "model");
            String name = string(m, "model", "model", false);
            Double temperature = number(m, "temperature", "model", 0, 2);
            Double maxTokens = number(m, "max_tokens", "model", 1, Integer.MAX_VALUE);
            if (maxTokens != null && maxTokens != Math.rint(maxTokens)) throw fail("model.max_tokens", "must be a whole number");
            Double topP = number(m, "top_p", "model", 0, 1);
            List<String> stop = new ArrayList<>();
            if (m.containsKey("stop")) {
                Object s = m.get("stop");
                if (s instanceof String one) stop.add(one);
                else for (Object o : list(s, "model.stop")) {
                    if (!(o instanceof String str)) throw fail("model.stop", "must be a list of strings");
                    stop.add(str);
                }
            }
            return new ModelParams(name, temperature, maxTokens == null ? null : maxTokens.intValue(), topP, stop);
        }

        private List<PromptMessage> messages(Map<String, Object> top) {
            boolean hasMessages = top.containsKey("messages");
            boolean hasTemplate = top.containsKey("template");
            if (hasMessages == hasTemplate) throw fail("messages", "give either 'messages' or 'template' (a single user message), not " + (hasMessages ? "both" : "neither"));
            if (hasTemplate) return List.of(new PromptMessage(ChatMessage.Role.USER, template(top.get("template"), "template")));
            List<Object> raw = list(top.get("messages"), "messages");
            if (raw.isEmpty()) throw fail("messages", "must not be empty");
            List<PromptMessage> out = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                String f = "messages[" + i + "]";
                Map<String, Object> m = map(raw.get(i), f);
                keys(m, MESSAGE, f);
                String role = string(m, "role", f, true).toLowerCase(Locale.ROOT);
                ChatMessage.Role r = switch (role) {
                    case "system" -> ChatMessage.Role.SYSTEM;
                    case "user" -> ChatMessage.Role.USER;
                    case "assistant" -> ChatMessage.Role.ASSISTANT;
                    default -> throw fail(f + ".role", "'" + role + "' is not one of system, user, assistant");
                };
                if (!m.containsKey("content")) throw fail(f + ".content", "is required");
                out.add(new PromptMessage(r, template(m.get("content"), f + ".content")));
            }
            return out;
        }

        private Template template(Object raw, String field) {
            if (raw instanceof Map<?, ?>) {
                throw fail(field, "must be text; YAML read it as a mapping — quote a template that starts with '{{' or use a block scalar (|)");
            }
            if (!(raw instanceof String s)) throw fail(field, "must be text");
            String t = s.replace("\r\n", "\n").strip();
            if (t.isEmpty()) throw fail(field, "must not be empty");
            try {
                return Template.parse(t);
            } catch (IllegalArgumentException e) {
                throw fail(field, e.getMessage());
            }
        }

        private List<PromptTest> tests(Object raw) {
            if (raw == null) return List.of();
            List<Object> items = list(raw, "tests");
            List<PromptTest> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                String f = "tests[" + i + "]";
                Map<String, Object> t = map(items.get(i), f);
                keys(t, TEST, f);
                String name = string(t, "name", f, true);
                if (!names.add(name)) throw fail(f + ".name", "'" + name + "' is used by another test");
                Map<String, Object> vars = new LinkedHashMap<>();
                if (t.get("vars") != null) {
                    for (Map.Entry<String, Object> e : map(t.get("vars"), f + ".vars").entrySet()) {
                        Object v = e.getValue();
                        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                            throw fail(f + ".vars." + e.getKey(), "must be text, a number or a boolean");
                        }
                        vars.put(e.getKey(), v);
                    }
                }
                String recorded = t.containsKey("recorded_response") ? string(t, "recorded_response", f, true) : null;
                if (!t.containsKey("assert")) throw fail(f + ".assert", "is required: a list of checks on the response");
                List<Object> rawAsserts = list(t.get("assert"), f + ".assert");
                if (rawAsserts.isEmpty()) throw fail(f + ".assert", "must not be empty");
                List<PromptAssertion> asserts = new ArrayList<>();
                for (int j = 0; j < rawAsserts.size(); j++) asserts.add(assertion(rawAsserts.get(j), f + ".assert[" + j + "]"));
                out.add(new PromptTest(name, vars, recorded, asserts));
            }
            return out;
        }

        private PromptAssertion assertion(Object raw, String f) {
            Map<String, Object> a = map(raw, f);
            if (a.size() != 1) throw fail(f, "must have exactly one of " + String.join(", ", new java.util.TreeSet<>(ASSERT)));
            keys(a, ASSERT, f);
            Map.Entry<String, Object> e = a.entrySet().iterator().next();
            String field = f + "." + e.getKey();
            Object v = e.getValue();
            return switch (e.getKey()) {
                case "contains" -> new PromptAssertion.Contains(nonEmptyText(v, field));
                case "not_contains" -> new PromptAssertion.NotContains(nonEmptyText(v, field));
                case "regex" -> {
                    try {
                        yield new PromptAssertion.Regex(Pattern.compile(nonEmptyText(v, field)));
                    } catch (PatternSyntaxException x) {
                        throw fail(field, "is not a valid regular expression: " + x.getDescription());
                    }
                }
                case "json_schema" -> {
                    try {
                        yield new PromptAssertion.JsonSchema(InputSchema.of(map(v, field)));
                    } catch (IllegalArgumentException x) {
                        throw fail(field, x.getMessage());
                    }
                }
                case "max_tokens" -> {
                    if (!(v instanceof Integer n) || n <= 0) throw fail(field, "must be a whole number > 0");
                    yield new PromptAssertion.MaxTokens(n);
                }
                default -> throw new IllegalStateException("unreachable");
            };
        }

        private String nonEmptyText(Object v, String field) {
            if (!(v instanceof String s) || s.isEmpty()) throw fail(field, "must be non-empty text");
            return s;
        }

        private void keys(Map<String, Object> m, Set<String> allowed, String field) {
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    throw fail(field == null ? k : field + "." + k, "unknown key; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
        }

        private String string(Map<String, Object> m, String key, String parent, boolean required) {
            String f = parent == null ? key : parent + "." + key;
            Object v = m.get(key);
            if (v == null) {
                if (required) throw fail(f, "is required");
                return null;
            }
            if (v instanceof String s) return s;
            if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
            throw fail(f, "must be text");
        }

        private Double number(Map<String, Object> m, String key, String parent, double min, double max) {
            Object v = m.get(key);
            if (v == null) return null;
            if (!(v instanceof Number n)) throw fail(parent + "." + key, "must be a number");
            double d = n.doubleValue();
            if (d < min || d > max) throw fail(parent + "." + key, d + " is outside " + fmt(min) + " to " + fmt(max));
            return d;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> map(Object v, String field) {
            if (!(v instanceof Map<?, ?> m)) throw fail(field, "must be a mapping");
            for (Object k : m.keySet()) if (!(k instanceof String)) throw fail(field, "keys must be text");
            return (Map<String, Object>) m;
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Object v, String field) {
            if (!(v instanceof List<?> l)) throw fail(field, "must be a list");
            return (List<Object>) l;
        }

        private KeelException fail(String field, String problem) {
            StringBuilder sb = new StringBuilder(origin).append(": ");
            if (id != null) sb.append("prompt '").append(id).append("': ");
            if (field != null) sb.append("field '").append(field).append("': ");
            return KeelException.invalid(sb.append(problem).toString());
        }
    }
}
