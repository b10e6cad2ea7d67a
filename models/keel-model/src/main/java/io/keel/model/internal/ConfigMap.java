package io.keel.model.internal;

import io.keel.core.error.KeelException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A checked view of one map from {@code keel.yaml}, carrying its key path ({@code models[2].endpoints[0]}) so every
 * error names the exact key to fix. Unknown keys are rejected, so a typo never passes silently.
 */
public final class ConfigMap {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new TreeSet<>();

    private ConfigMap(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    public static ConfigMap of(String path, Object node) {
        if (!(node instanceof Map<?, ?> m)) throw bad(path, "must be a section (key: value pairs); got " + describe(node));
        return new ConfigMap(path, (Map<String, Object>) m);
    }

    /** The items of a list, each with its indexed path; an absent key is an empty list. */
    public static List<Map.Entry<String, Object>> items(String path, Object node) {
        if (node == null) return List.of();
        if (!(node instanceof List<?> list)) throw bad(path, "must be a list; got " + describe(node));
        List<Map.Entry<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) out.add(Map.entry(path + "[" + i + "]", list.get(i)));
        return out;
    }

    public String path() {
        return path;
    }

    public String key(String key) {
        return path + "." + key;
    }

    public Object raw(String key) {
        read.add(key);
        return values.get(key);
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public String string(String key, String def) {
        Object v = raw(key);
        if (v == null) return def;
        if (v instanceof Map<?, ?> || v instanceof List<?>) throw bad(key(key), "must be a single value; got " + describe(v));
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? def : s;
    }

    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null) throw bad(key(key), "is required");
        return s;
    }

    public int integer(String key, int def, int min, int max) {
        String s = string(key, null);
        if (s == null) return def;
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw bad(key(key), "must be between " + min + " and " + max + "; got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw bad(key(key), "must be a whole number; got '" + s + "'");
        }
    }

    public double decimal(String key, double def, double min) {
        String s = string(key, null);
        if (s == null) return def;
        try {
            double v = Double.parseDouble(s);
            if (!(v >= min) || Double.isInfinite(v)) throw bad(key(key), "must be a number >= " + min + "; got " + s);
            return v;
        } catch (NumberFormatException e) {
            throw bad(key(key), "must be a number; got '" + s + "'");
        }
    }

    public boolean bool(String key, boolean def) {
        String s = string(key, null);
        if (s == null) return def;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key(key), "must be true or false; got '" + s + "'");
        };
    }

    /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601; must be positive. */
    public Duration duration(String key, Duration def) {
        String s = string(key, null);
        if (s == null) return def;
        Duration d = parseDuration(s);
        if (d == null || d.isNegative() || d.isZero()) {
            throw bad(key(key), "must be a positive duration such as 250ms, 10s, 5m or PT10S; got '" + s + "'");
        }
        return d;
    }

    public URI httpUrl(String key) {
        String s = requiredString(key);
        try {
            URI u = URI.create(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) throw new IllegalArgumentException();
            return u;
        } catch (IllegalArgumentException e) {
            throw bad(key(key), "must be an http(s) URL; got '" + s + "'");
        }
    }

    public List<String> strings(String key) {
        Object v = raw(key);
        if (v == null) return List.of();
        if (v instanceof String s) return List.of(s.strip());
        if (!(v instanceof List<?> l)) throw bad(key(key), "must be a list of names; got " + describe(v));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            Object o = l.get(i);
            if (o == null || o instanceof Map<?, ?> || o instanceof List<?>) {
                throw bad(key(key) + "[" + i + "]", "must be a name; got " + describe(o));
            }
            out.add(String.valueOf(o).strip());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String key) {
        Object v = raw(key);
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?> m)) throw bad(key(key), "must be a section (key: value pairs); got " + describe(v));
        return new LinkedHashMap<>((Map<String, Object>) m);
    }

    public ConfigMap child(String key) {
        Object v = raw(key);
        return v == null ? new ConfigMap(key(key), Map.of()) : of(key(key), v);
    }

    /** Fails on keys never read, listing the ones that are allowed. */
    public void rejectUnknown() {
        for (String k : values.keySet()) {
            if (!read.contains(k)) throw bad(key(k), "is not a known key; known keys here: " + String.join(", ", read));
        }
    }

    public static KeelException bad(String fullKey, String problem) {
        return KeelException.invalid(fullKey + ": " + problem);
    }

    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            long n = Long.parseLong(t.substring(0, t.length() - 1).strip());
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v instanceof Map<?, ?> ? "a section" : v instanceof List<?> ? "a list" : "'" + v + "'";
    }
}
