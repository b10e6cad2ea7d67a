package io.keel.prompts;

import io.keel.core.error.KeelException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A logic-free text template with {@code {{name}}} placeholders. Deliberately no sections, loops or escaping: a prompt
 * whose wording depends on logic hides that logic from review and from tests, so anything structured (a list of
 * passages, say) is formatted by the caller and passed in as one variable. Rendering is strict: a placeholder without
 * a value is an error rather than an empty string. Immutable and thread-safe.
 */
public final class Template {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final List<Object> parts; // String literal or Placeholder
    private final Set<String> variables;

    private record Placeholder(String name) {
    }

    private Template(String text, List<Object> parts, Set<String> variables) {
        this.text = text;
        this.parts = parts;
        this.variables = variables;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException when a placeholder is not closed or does not hold a plain variable name
     */
    public static Template parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Object> parts = new ArrayList<>();
        Set<String> vars = new LinkedHashSet<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) break;
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at character " + open + " is never closed with '}}'");
            }
            String name = text.substring(open + 2, close).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("placeholder '{{" + text.substring(open + 2, close)
                        + "}}' is not a plain variable name; templates are logic-free (no sections, loops or filters): "
                        + "format the value in code and pass it as one variable");
            }
            if (open > i) parts.add(text.substring(i, open));
            parts.add(new Placeholder(name));
            vars.add(name);
            i = close + 2;
        }
        if (i < text.length()) parts.add(text.substring(i));
        return new Template(text, List.copyOf(parts), Collections.unmodifiableSet(vars));
    }

    public String text() {
        return text;
    }

    /** The variable names this template uses, in order of first use. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Substitutes every placeholder. Values are rendered with {@link String#valueOf}; they are not re-scanned, so a
     * value containing {@code {{x}}} is inserted verbatim.
     *
     * @throws KeelException (invalid request) naming the first placeholder without a value
     */
    public String render(Map<String, ?> values) {
        StringBuilder out = new StringBuilder(text.length() + 256);
        for (Object p : parts) {
            if (p instanceof Placeholder(String name)) {
                Object v = values.get(name);
                if (v == null) throw KeelException.invalid("variable '" + name + "' has no value");
                out.append(v);
            } else {
                out.append((String) p);
            }
        }
        return out.toString();
    }
}
