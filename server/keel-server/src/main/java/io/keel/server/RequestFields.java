package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Filters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed, validated access to the fields of a JSON request; every problem names the field. */
final class RequestFields {
    private final ObjectNode body;

    RequestFields(ObjectNode body, Set<String> allowed) {
        this.body = body;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw unprocessable("unknown field '" + f + "'; allowed fields are " + allowed.stream().sorted().toList());
            }
        }
    }

    String requiredString(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw unprocessable("'" + field + "' is required");
        if (!n.isTextual()) throw unprocessable("'" + field + "' must be a string");
        if (n.asText().isBlank()) throw unprocessable("'" + field + "' must not be empty");
        return n.asText();
    }

    String optionalString(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw unprocessable("'" + field + "' must be a string");
        return n.asText();
    }

    Double optionalNumber(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isNumber()) throw unprocessable("'" + field + "' must be a number");
        return n.asDouble();
    }

    /** The field as given, or null when absent or null. */
    JsonNode optional(String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n;
    }

    Integer optionalInt(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw unprocessable("'" + field + "' must be a whole number");
        return n.asInt();
    }

    /** {@code {"field": "value"}} or {@code {"field": ["a", "b"]}}. */
    Filters optionalFilters(String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return Filters.NONE;
        if (!n.isObject()) throw unprocessable("'" + field + "' must be an object of field names to a value or a list of values");
        Map<String, List<String>> terms = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isTextual()) {
                values.add(e.getValue().asText());
            } else if (e.getValue().isArray() && !e.getValue().isEmpty()) {
                for (JsonNode v : e.getValue()) {
                    if (!v.isTextual()) throw unprocessable("'" + field + "." + e.getKey() + "' values must be strings");
                    values.add(v.asText());
                }
            } else {
                throw unprocessable("'" + field + "." + e.getKey() + "' must be a string or a non-empty list of strings");
            }
            terms.put(e.getKey(), values);
        }
        try {
            return Filters.of(terms);
        } catch (KeelException ex) {
            throw unprocessable(ex.getMessage());
        }
    }

    static KeelException unprocessable(String message) {
        return new KeelException(ErrorCode.UNPROCESSABLE, message);
    }
}
