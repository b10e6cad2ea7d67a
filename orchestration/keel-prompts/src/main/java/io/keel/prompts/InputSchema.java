package io.keel.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema (draft 2020-12 unless the schema names another with {@code $schema}), compiled once. Used for a
 * prompt's variables, so a caller passing a number where text is expected fails before a model is paid for, and for
 * {@code json_schema} test assertions on responses. Thread-safe.
 */
public final class InputSchema {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

    private final Map<String, Object> tree;
    private final String json;
    private final Schema schema;

    private InputSchema(Map<String, Object> tree, String json, Schema schema) {
        this.tree = tree;
        this.json = json;
        this.schema = schema;
    }

    /**
     * Compiles a schema given as a JSON tree (maps, lists, scalars).
     *
     * @throws IllegalArgumentException when it is not a valid schema
     */
    public static InputSchema of(Map<String, Object> tree) {
        String json = toJson(tree);
        if (!tree.containsKey("$schema")) {
            List<String> problems = META.validate(json, InputFormat.JSON).stream().map(InputSchema::message).toList();
            if (!problems.isEmpty()) throw new IllegalArgumentException("not a valid JSON schema: " + String.join("; ", problems));
        }
        try {
            Schema s = REGISTRY.getSchema(json, InputFormat.JSON);
            s.initializeValidators();
            return new InputSchema(Collections.unmodifiableMap(new LinkedHashMap<>(tree)), json, s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid JSON schema: " + e.getMessage(), e);
        }
    }

    /** The schema as a JSON tree. */
    public Map<String, Object> tree() {
        return tree;
    }

    /** The schema as compact JSON with sorted keys. */
    public String json() {
        return json;
    }

    /** The names under the schema's top-level {@code properties}; empty when it has none. */
    public Set<String> properties() {
        Object p = tree.get("properties");
        if (!(p instanceof Map<?, ?> m)) return Set.of();
        Set<String> names = new LinkedHashSet<>();
        for (Object k : m.keySet()) names.add(String.valueOf(k));
        return names;
    }

    /** Validation messages for {@code value} (a JSON tree); empty when it is valid. */
    public List<String> validate(Object value) {
        return validateJson(toJson(value));
    }

    /** Validation messages for a JSON document; empty when it is valid. */
    public List<String> validateJson(String document) {
        List<Error> errors = schema.validate(document, InputFormat.JSON);
        return errors.stream().map(InputSchema::message).toList();
    }

    private static String message(Error e) {
        String where = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        String msg = e.getMessage();
        return msg.startsWith(where) || where.isEmpty() ? msg : where + ": " + msg;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
