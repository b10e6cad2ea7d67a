package io.keel.core.config;

import io.keel.core.error.KeelException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A view of one subtree of {@code keel.yaml}. Every read names its key, gives a default, and is checked: a bad
 * value fails at startup with the full key path. An environment variable overrides any key:
 * {@code server.port} is {@code KEEL_SERVER_PORT}, {@code index.hybrid.rrf_k} is {@code KEEL_INDEX_HYBRID_RRF_K}.
 * Keys that are never read are reported by {@link Root#unknownKeys()}, so a typo does not pass silently.
 */
public final class ConfigNode {
    private final Root root;
    private final String path;
    private final Map<String, Object> values;

    private ConfigNode(Root root, String path, Map<String, Object> values) {
        this.root = root;
        this.path = path;
        this.values = values;
    }

    /** Shared state of one loaded configuration. */
    public static final class Root {
        private final Map<String, String> env;
        private final Set<String> read = new TreeSet<>();
        private final Map<String, Object> tree;
        private final String base;

        Root(Map<String, Object> tree, Map<String, String> env) {
            this(tree, env, "");
        }

        Root(Map<String, Object> tree, Map<String, String> env, String base) {
            this.tree = tree;
            this.env = env;
            this.base = base;
        }

        /** Leaf keys present in the file that no component read. */
        public List<String> unknownKeys() {
            List<String> out = new ArrayList<>();
            collect(base, tree, out);
            return out;
        }

        private void collect(String prefix, Map<String, Object> node, List<String> out) {
            for (var e : node.entrySet()) {
                String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (read.contains(key)) continue;
                if (e.getValue() instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked") Map<String, Object> child = (Map<String, Object>) m;
                    collect(key, child, out);
                } else {
                    out.add(key);
                }
            }
        }
    }

    public static ConfigNode root(Map<String, Object> tree, Map<String, String> env) {
        Root root = new Root(tree, env);
        return new ConfigNode(root, "", tree);
    }

    public Root rootState() {
        return root;
    }

    public String path() {
        return path;
    }

    public ConfigNode child(String key) {
        Object v = values.get(key);
        String childPath = key(key);
        if (v == null) return new ConfigNode(root, childPath, Map.of());
        if (!(v instanceof Map<?, ?> m)) throw bad(childPath, "must be a section (key: value pairs); got " + describe(v));
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
        return new ConfigNode(root, childPath, map);
    }

    /**
     * A list of sections, e.g. {@code budgets.limits}: one node per item, paths {@code key[0]}, {@code key[1]}...
     * Each item's keys are checked: a key no reader asked for is an error naming it.
     */
    public <T> List<T> list(String key, Function<ConfigNode, T> readItem) {
        Object v = raw(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> items)) throw bad(key(key), "must be a list; got " + describe(v));
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = key(key) + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> m)) throw bad(itemPath, "must be a section (key: value pairs)");
            @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
            ConfigNode item = new ConfigNode(new Root(map, Map.of(), itemPath), itemPath, map);
            T value = readItem.apply(item);
            List<String> unknown = item.root.unknownKeys();
            if (!unknown.isEmpty()) throw KeelException.invalid("unknown configuration key(s) " + unknown + "; see docs/configuration.md");
            out.add(value);
        }
        return out;
    }

    /** The whole raw subtree, for components that validate their own sections; marks it all as read. */
    public Object raw(String key) {
        root.read.add(key(key));
        return values.get(key);
    }

    public String string(String key, String def) {
        Object v = lookup(key);
        if (v == null) return def;
        if (v instanceof Map<?, ?> || v instanceof List<?>) throw bad(key(key), "must be a single value; got " + describe(v));
        return String.valueOf(v);
    }

    public int integer(String key, int def, int min, int max) {
        return number(key, def, s -> (int) Long.parseLong(s), min, max, "a whole number");
    }

    public double decimal(String key, double def, double min, double max) {
        return number(key, def, Double::parseDouble, min, max, "a number");
    }

    public boolean bool(String key, boolean def) {
        String s = string(key, null);
        if (s == null) return def;
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key(key), "must be true or false; got '" + s + "'");
        };
    }

    /** Accepts ISO-8601 ({@code PT10S}) or a number with a unit: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
    public Duration duration(String key, Duration def) {
        String s = string(key, null);
        if (s == null) return def;
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(s.strip().toUpperCase(Locale.ROOT));
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            long n = Long.parseLong(t.substring(0, t.length() - 1).strip());
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw bad(key(key), "must be a duration such as 250ms, 10s, 5m or PT10S; got '" + s + "'");
        }
    }

    /** Plain copy of this section's values (nested maps included), for logging the effective configuration. */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }

    private <T extends Number & Comparable<T>> T number(String key, T def, Function<String, T> parse, T min, T max, String what) {
        String s = string(key, null);
        if (s == null) return def;
        T v;
        try {
            v = parse.apply(s.strip());
        } catch (NumberFormatException e) {
            throw bad(key(key), "must be " + what + "; got '" + s + "'");
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw bad(key(key), "must be between " + min + " and " + max + "; got " + s);
        }
        return v;
    }

    private Object lookup(String key) {
        String full = key(key);
        root.read.add(full);
        String envValue = root.env.get(envName(full));
        return envValue != null ? envValue : values.get(key);
    }

    /** The environment variable that overrides a key. */
    public static String envName(String fullKey) {
        return "KEEL_" + fullKey.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(Object v) {
        return v instanceof Map<?, ?> ? "a section" : v instanceof List<?> ? "a list" : "'" + v + "'";
    }

    public static KeelException bad(String fullKey, String problem) {
        return KeelException.invalid("configuration key '" + fullKey + "' " + problem
                + " (set it in keel.yaml or with " + envName(fullKey) + ")");
    }
}
