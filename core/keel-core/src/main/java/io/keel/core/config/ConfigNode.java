package io.keel.core.config;

import io.keel.core.error.KeelException;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one reader of {@code keel.yaml}: a view of one subtree, carrying its full key path ({@code index.hybrid},
 * {@code models[2].price}). Every read names its key, gives a default and is checked, so a bad value fails at startup
 * with the full key path, e.g. {@code configuration key 'models[2].price.input_per_1m' must be a number}.
 *
 * <p>An environment variable overrides any key outside lists: {@code server.port} is {@code KEEL_SERVER_PORT},
 * {@code index.hybrid.rrf_k} is {@code KEEL_INDEX_HYBRID_RRF_K}.
 *
 * <p>Every key a component reads (present or not) is remembered; {@link #rejectUnknownKeys()} then fails on any key
 * of the file no component asked for, naming its path and, when a known key at the same level is at most two edits
 * away, suggesting it. Items of a {@link #list list} are checked as soon as they are read.
 *
 * <p>A component reads its own section with a {@code static X from(ConfigNode node)} next to the component.
 */
public final class ConfigNode {
    private final ConfigRoot root;
    private final String path;
    private final Map<String, Object> values;

    private ConfigNode(ConfigRoot root, String path, Map<String, Object> values) {
        this.root = root;
        this.path = path;
        this.values = values;
    }

    /** The whole file, with environment overrides from {@code env}. */
    public static ConfigNode root(Map<String, Object> tree, Map<String, String> env) {
        return new ConfigNode(new ConfigRoot(tree, env, ""), "", tree);
    }

    /**
     * A section found outside {@code keel.yaml}'s tree (a model entry sent to the registry API, a stored version):
     * no environment overrides; errors name keys from {@code path} ({@code ""} for none).
     *
     * @throws KeelException when {@code value} is not a section
     */
    public static ConfigNode detached(String path, Object value) {
        Map<String, Object> map = section(path, value);
        return new ConfigNode(new ConfigRoot(map, Map.of(), path), path, map);
    }

    /** The state shared by every node of this file: what was read, and so which keys are unknown. */
    public ConfigRoot rootState() {
        return root;
    }

    /** The full path of this section; empty at the top level. */
    public String path() {
        return path;
    }

    /** The full path of {@code key} in this section. */
    public String key(String key) {
        return join(path, key);
    }

    /** The keys present in this section, in file order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** Whether {@code key} has a value, in the file or the environment. Does not count as reading it. */
    public boolean has(String key) {
        return values.get(key) != null || (!envOff() && root.env.get(envName(key(key))) != null);
    }

    /** A subsection; absent means empty, so its reads all take their defaults. */
    public ConfigNode child(String key) {
        String childPath = key(key);
        root.sections.add(childPath);
        Object v = values.get(key);
        if (v == null) return new ConfigNode(root, childPath, Map.of());
        if (!(v instanceof Map<?, ?>)) throw bad(childPath, "must be a section (key: value pairs); got " + describe(v));
        return new ConfigNode(root, childPath, section(childPath, v));
    }

    /**
     * A list of sections, e.g. {@code budgets.limits}: one node per item, paths {@code key[0]}, {@code key[1]}...
     * Each item's keys are checked as soon as {@code readItem} returns: a key it did not ask for is an error naming it.
     */
    public <T> List<T> list(String key, Function<ConfigNode, T> readItem) {
        return list(key, null, readItem);
    }

    /**
     * Like {@link #list(String, Function)}, where an item (or the whole value) may also be a single value, read as
     * {@code {shorthandKey: value}}: {@code endpoints: [https://a, {url: https://b}]}.
     */
    public <T> List<T> list(String key, String shorthandKey, Function<ConfigNode, T> readItem) {
        Object v = raw(key);
        if (v == null) return List.of();
        String listPath = key(key);
        List<?> items;
        if (v instanceof List<?> l) items = l;
        else if (shorthandKey != null && !(v instanceof Map<?, ?>)) items = List.of(v);
        else throw bad(listPath, "must be a list; got " + describe(v));
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = listPath + "[" + i + "]";
            Object item = items.get(i);
            if (shorthandKey != null && item != null && !(item instanceof Map<?, ?>) && !(item instanceof List<?>)) {
                item = Map.of(shorthandKey, item);
            }
            if (!(item instanceof Map<?, ?>)) throw bad(itemPath, "must be a section (key: value pairs); got " + describe(item));
            ConfigNode node = detached(itemPath, item);
            T value = readItem.apply(node);
            node.rejectUnknownKeys();
            out.add(value);
        }
        return out;
    }

    /**
     * Fails on every key of this node's file (or detached section) that no reader asked for; call it once everything
     * was read.
     *
     * @throws KeelException naming each unknown key's full path, with a "did you mean" hint where one is close
     */
    public void rejectUnknownKeys() {
        root.check();
    }

    /**
     * Fails when {@code oldKey}, a key of an earlier release, is set, saying what replaces it; a renamed key must not
     * be silently ignored.
     *
     * @param replacement the key that replaces it, with an example value, e.g. {@code "max_batch_latency: 50ms"}
     */
    public void replaced(String oldKey, String replacement) {
        if (has(oldKey)) throw error(oldKey, "was replaced by '" + replacement + "'; see docs/configuration.md");
    }

    /** The raw value of {@code key}, for components that validate it themselves; marks the whole subtree as read. */
    public Object raw(String key) {
        root.read.add(key(key));
        return values.get(key);
    }

    /** A free-form section whose keys are not Keel's (request {@code params}), as written; marks it as read. */
    public Map<String, Object> section(String key) {
        Object v = raw(key);
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?>)) throw bad(key(key), "must be a section (key: value pairs); got " + describe(v));
        return Collections.unmodifiableMap(new LinkedHashMap<>(section(key(key), v)));
    }

    /**
     * A free-form section of names to single values (HTTP headers, Kafka client properties), as text; nested
     * sections are flattened with dots ({@code security: {protocol: SSL}} is {@code security.protocol}).
     */
    public Map<String, String> properties(String key) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", section(key), flat);
        Map<String, String> out = new LinkedHashMap<>();
        flat.forEach((k, v) -> {
            if (v instanceof List<?>) throw bad(key(key) + "." + k, "must be a single value; got a list");
            if (v != null) out.put(k, String.valueOf(v));
        });
        return Collections.unmodifiableMap(out);
    }

    /** A single value as text, stripped; {@code def} when absent or blank. */
    public String string(String key, String def) {
        Object v = lookup(key);
        if (v == null) return def;
        if (v instanceof Map<?, ?> || v instanceof List<?>) throw bad(key(key), "must be a single value; got " + describe(v));
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? def : s;
    }

    /** A single value that must be present; {@code hint} says what it is, e.g. "the Kafka brokers, host:port". */
    public String requiredString(String key, String hint) {
        String s = string(key, null);
        if (s == null) throw bad(key(key), "is required" + (hint == null ? "" : ": " + hint));
        return s;
    }

    /** One of {@code allowed} (compared in lower case), or {@code def} when absent. */
    public String choice(String key, String def, String... allowed) {
        String s = string(key, null);
        if (s == null) return def;
        String v = s.toLowerCase(Locale.ROOT);
        for (String a : allowed) if (a.equals(v)) return v;
        String hint = KeyHints.closest(v, Set.of(allowed));
        throw bad(key(key), "must be one of " + String.join(", ", allowed) + "; got '" + s + "'"
                + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
    }

    /**
     * A list of names: a YAML list of single values or one comma-separated string (the form an environment variable
     * gives). Blank entries are skipped; absent is an empty list.
     */
    public List<String> strings(String key) {
        Object v = lookup(key);
        if (v == null) return List.of();
        List<?> items = v instanceof List<?> l ? l : v instanceof Map<?, ?> ? null : List.of(String.valueOf(v).split(","));
        if (items == null) throw bad(key(key), "must be a list of values; got " + describe(v));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object o = items.get(i);
            if (o == null || o instanceof Map<?, ?> || o instanceof List<?>) {
                throw bad(key(key) + "[" + i + "]", "must be a single value; got " + describe(o));
            }
            String s = String.valueOf(o).strip();
            if (!s.isEmpty()) out.add(s);
        }
        return List.copyOf(out);
    }

    public int integer(String key, int def, int min, int max) {
        return (int) longValue(key, def, min, max);
    }

    public long longValue(String key, long def, long min, long max) {
        return number(key, def, Long::parseLong, min, max, "a whole number");
    }

    public double decimal(String key, double def, double min, double max) {
        return number(key, def, Double::parseDouble, min, max, "a number");
    }

    /** {@code true}/{@code yes}/{@code on}/{@code 1} or {@code false}/{@code no}/{@code off}/{@code 0}. */
    public boolean bool(String key, boolean def) {
        String s = string(key, null);
        if (s == null) return def;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key(key), "must be true or false; got '" + s + "'");
        };
    }

    /** An http(s) URL with a host; required. */
    public URI httpUrl(String key) {
        String s = requiredString(key, "an http(s) URL");
        try {
            URI u = URI.create(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) throw new IllegalArgumentException();
            return u;
        } catch (IllegalArgumentException e) {
            throw bad(key(key), "must be an http(s) URL; got '" + s + "'");
        }
    }

    /**
     * A duration of zero or more: a whole number with a unit, {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h},
     * {@code 7d}, or ISO-8601, {@code PT10S}, {@code P1D}. The one duration parser of the configuration.
     */
    public Duration duration(String key, Duration def) {
        return duration(key, def, Duration.ZERO, null);
    }

    /** A duration within {@code [min, max]} ({@code max} null: no upper bound). */
    public Duration duration(String key, Duration def, Duration min, Duration max) {
        String s = string(key, null);
        if (s == null) return def;
        Duration d = parseDuration(s);
        if (d == null) throw bad(key(key), "must be a duration such as 250ms, 10s, 5m, 1h, 7d or PT10S; got '" + s + "'");
        if (d.compareTo(min) < 0 || max != null && d.compareTo(max) > 0) {
            String range = max == null ? "at least " + format(min) : "between " + format(min) + " and " + format(max);
            throw bad(key(key), "must be " + range + "; got '" + s + "'");
        }
        return d;
    }

    /** Parses a duration in one of the forms {@link #duration(String, Duration)} accepts; null when it is none. */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            int unitAt = 0;
            while (unitAt < t.length() && (Character.isDigit(t.charAt(unitAt)) || unitAt == 0 && t.charAt(0) == '-')) unitAt++;
            long n = Long.parseLong(t.substring(0, unitAt));
            return switch (t.substring(unitAt).strip()) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** Plain copy of this section's values (nested maps included), for logging the effective configuration. */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }

    /** An error about {@code key} of this section, for checks a component makes beyond one value's type and range. */
    public KeelException error(String key, String problem) {
        return bad(key(key), problem);
    }

    private <T extends Comparable<T>> T number(String key, T def, Function<String, T> parse, T min, T max, String what) {
        String s = string(key, null);
        if (s == null) return def;
        T v;
        try {
            v = parse.apply(s);
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
        String envValue = envOff() ? null : root.env.get(envName(full));
        return envValue != null ? envValue : values.get(key);
    }

    private boolean envOff() {
        return root.env.isEmpty();
    }

    /** The environment variable that overrides a key. */
    public static String envName(String fullKey) {
        return "KEEL_" + fullKey.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * An error naming the full key path; keys an environment variable can set (outside lists) name the variable too.
     */
    public static KeelException bad(String fullKey, String problem) {
        String where = fullKey.contains("[") || fullKey.isEmpty() ? "" : " (set it in keel.yaml or with " + envName(fullKey) + ")";
        return KeelException.invalid("configuration key '" + fullKey + "' " + problem + where);
    }

    static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(String path, Object value) {
        if (!(value instanceof Map<?, ?> m)) throw bad(path, "must be a section (key: value pairs); got " + describe(value));
        return (Map<String, Object>) m;
    }

    private static void flatten(String prefix, Map<String, Object> node, Map<String, Object> out) {
        node.forEach((k, v) -> {
            String key = join(prefix, String.valueOf(k));
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked") Map<String, Object> child = (Map<String, Object>) m;
                flatten(key, child, out);
            } else {
                out.put(key, v);
            }
        });
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v instanceof Map<?, ?> ? "a section" : v instanceof List<?> ? "a list" : "'" + v + "'";
    }
}
