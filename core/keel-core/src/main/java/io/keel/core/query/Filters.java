package io.keel.core.query;

import io.keel.core.error.KeelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Metadata filters: a hit must match every field, and for each field at least one of the listed values.
 * Built-in fields are {@code document_id}, {@code source}, {@code tenant}, {@code acl} and {@code media_type};
 * any other name refers to a document metadata key. Indexes apply filters inside the search, never after it.
 */
public record Filters(Map<String, Set<String>> terms) {
    public static final Filters NONE = new Filters(Map.of());
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    public Filters {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        for (var e : terms.entrySet()) {
            if (!FIELD.matcher(e.getKey()).matches()) {
                throw KeelException.invalid("filter field '" + e.getKey() + "' must be 1-64 characters of letters, digits, '_', '.' or '-'");
            }
            if (e.getValue().isEmpty()) {
                throw KeelException.invalid("filter field '" + e.getKey() + "' needs at least one value");
            }
            copy.put(e.getKey(), Set.copyOf(e.getValue()));
        }
        terms = Map.copyOf(copy);
    }

    public static Filters of(Map<String, ? extends List<String>> terms) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        terms.forEach((k, v) -> m.put(k, Set.copyOf(v)));
        return new Filters(m);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }
}
