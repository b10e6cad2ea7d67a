package io.keel.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON (de)serialisation of config maps and their content hash. */
final class Configs {
    static final ObjectMapper JSON = new ObjectMapper();

    private Configs() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> map(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored registry value is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> strings(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored registry value is not a JSON array: " + e.getOriginalMessage(), e);
        }
    }

    /** An unmodifiable copy that keeps key order and allows null values (YAML has them). */
    static Map<String, Object> readOnly(Map<String, Object> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * SHA-256 of the canonical JSON of {@code config}: keys sorted at every level and numbers normalised
     * ({@code 1}, {@code 1.0} and {@code 1.00} are equal), so re-reading the same keel.yaml always finds the same
     * version whatever the key order or number spelling.
     */
    static String contentHash(Map<String, Object> config) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json(canonical(config)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(canonical(o));
            return out;
        }
        if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
            return d.toPlainString();
        }
        return value;
    }
}
