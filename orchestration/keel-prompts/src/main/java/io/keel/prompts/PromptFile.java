package io.keel.prompts;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.error.KeelException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A prompt as code: the validated content of one prompt file. Prompts live in files rather than string literals so
 * they are reviewed, diffed, tested in CI and versioned like code, and so the exact text behind every answer is
 * known. Obtain one from {@link PromptLoader}, {@link PromptFolder}, {@link BuiltinPrompts} or {@link PromptStore}.
 * Immutable and thread-safe.
 */
public final class PromptFile {
    private final String id;
    private final String description;
    private final ModelParams model;
    private final InputSchema inputSchema;
    private final List<PromptMessage> messages;
    private final List<PromptTest> tests;
    private final String origin;
    private final String text;
    private final Set<String> variables;
    private final PromptVersion version;

    PromptFile(String id, String semver, String description, ModelParams model, InputSchema inputSchema,
               List<PromptMessage> messages, List<PromptTest> tests, String origin, String text) {
        this.id = Objects.requireNonNull(id, "id");
        this.description = description;
        this.model = model == null ? ModelParams.NONE : model;
        this.inputSchema = inputSchema;
        this.messages = List.copyOf(messages);
        this.tests = List.copyOf(tests);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.text = Objects.requireNonNull(text, "text");
        Set<String> vars = new LinkedHashSet<>();
        for (PromptMessage m : this.messages) vars.addAll(m.template().variables());
        this.variables = Collections.unmodifiableSet(vars);
        this.version = PromptVersion.of(id, canonicalContent(), semver);
    }

    public String id() {
        return id;
    }

    /** The file's {@code version}, or null. */
    public String semver() {
        return version.semver();
    }

    public String description() {
        return description;
    }

    public ModelParams model() {
        return model;
    }

    /** The schema the variables must satisfy, or null when the file has none. */
    public InputSchema inputSchema() {
        return inputSchema;
    }

    public List<PromptMessage> messages() {
        return messages;
    }

    public List<PromptTest> tests() {
        return tests;
    }

    /** Where it was read from: a file path, {@code classpath:...} or {@code store:id@hash}. */
    public String origin() {
        return origin;
    }

    /** The file text as written; what is stored on push and compared by diffs. */
    public String text() {
        return text;
    }

    /** Every variable the messages use, in order of first use. Rendering needs exactly these. */
    public Set<String> variables() {
        return variables;
    }

    public PromptVersion version() {
        return version;
    }

    /**
     * Renders the messages with {@code values}.
     *
     * @throws KeelException (invalid request) when a variable is missing, a value is given for a variable no message
     *                       uses, a value is not a scalar, or the values do not satisfy the input schema
     */
    public List<ChatMessage> render(Map<String, ?> values) {
        check(values);
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (PromptMessage m : messages) out.add(m.render(values));
        return out;
    }

    /**
     * A chat request for the rendered messages with this prompt's model parameters.
     *
     * @param modelName the model to ask; null to use the prompt's {@code model.model}
     */
    public ChatRequest toRequest(String modelName, Map<String, ?> values) {
        String m = modelName != null ? modelName : model.model();
        if (m == null) {
            throw KeelException.invalid("prompt " + version + " names no model (model.model) and none was given");
        }
        return new ChatRequest(m, render(values), model.maxTokens(), model.temperature(), model.topP(), model.stop(),
                List.of(), null, Map.of());
    }

    private void check(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        List<String> missing = variables.stream().filter(v -> values.get(v) == null).toList();
        List<String> unknown = values.keySet().stream().filter(k -> !variables.contains(k)).toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder("prompt ").append(version).append(": ");
            if (!missing.isEmpty()) sb.append(plural(missing)).append(missing.size() == 1 ? " is" : " are").append(" missing");
            if (!missing.isEmpty() && !unknown.isEmpty()) sb.append(", and ");
            if (!unknown.isEmpty()) sb.append(plural(unknown)).append(unknown.size() == 1 ? " is" : " are").append(" not used by the prompt");
            throw KeelException.invalid(sb.append("; it uses ").append(variables.isEmpty() ? "no variables" : String.join(", ", variables)).toString());
        }
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof CharSequence || v instanceof Number || v instanceof Boolean)) {
                throw KeelException.invalid("prompt " + version + ": variable '" + e.getKey() + "' must be text, a number or a "
                        + "boolean, not " + v.getClass().getSimpleName() + "; format lists into text before rendering");
            }
        }
        if (inputSchema != null) {
            List<String> errors = inputSchema.validate(values);
            if (!errors.isEmpty()) {
                throw KeelException.invalid("prompt " + version + ": variables do not match input_schema: " + String.join("; ", errors));
            }
        }
    }

    private static String plural(List<String> names) {
        return (names.size() == 1 ? "variable '" : "variables '") + String.join("', '", names) + "'";
    }

    /** Sorted-key JSON of what the model sees and how it is asked: messages, model parameters, input schema. */
    String canonicalContent() {
        Map<String, Object> c = new LinkedHashMap<>();
        List<Map<String, String>> ms = new ArrayList<>();
        for (PromptMessage m : messages) ms.add(Map.of("role", m.role().wireName(), "content", m.template().text()));
        c.put("messages", ms);
        if (!model.asMap().isEmpty()) c.put("model", model.asMap());
        if (inputSchema != null) c.put("input_schema", inputSchema.tree());
        return InputSchema.toJson(c);
    }

    @Override
    public String toString() {
        return version + " (" + origin + ")";
    }
}
