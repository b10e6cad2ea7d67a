package io.keel.experiments;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keel.core.error.KeelException;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads experiment definitions: one experiment per {@code .yaml}/{@code .yml} file in a folder (see
 * docs/experiments.md for the format). Validation is strict and complete at load (unknown keys, bad units, weights,
 * percentages, times, override keys and values) and every error names the file and the field, because an experiment
 * that loads must not fail on live traffic.
 */
public final class ExperimentFiles {
    /** Experiment and variant names: lower-case letters, digits, dots, dashes and underscores. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** The request settings a variant may override, flat (nested YAML sections are flattened with dots). */
    public static final Set<String> OVERRIDE_KEYS = Set.of("model", "prompt", "retrieval.mode", "retrieval.top_k",
            "retrieval.candidates", "generator.temperature", "generator.max_tokens", "routing.table");

    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> TOP = Set.of("name", "salt", "unit", "layer", "traffic", "holdout", "targeting",
            "start", "stop", "variants", "description");
    private static final Set<String> LAYER = Set.of("name", "range");
    private static final Set<String> TARGETING = Set.of("tenants", "apps", "routes");
    private static final Set<String> VARIANT = Set.of("name", "weight", "overrides", "description", "shadow");

    private ExperimentFiles() {
    }

    /** Every experiment in {@code dir} (files sorted by name), checked together by {@link ExperimentSet}. */
    public static ExperimentSet loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw KeelException.invalid("experiments.dir " + dir.toAbsolutePath() + " is not a directory; create it or unset experiments.dir");
        }
        List<Experiment> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                out.add(parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
            }
        } catch (IOException e) {
            throw KeelException.invalid("cannot read experiments folder " + dir + ": " + e.getMessage());
        }
        return new ExperimentSet(out);
    }

    /**
     * Parses one definition.
     *
     * @param origin where the text comes from, for messages
     */
    public static Experiment parse(String text, String origin) {
        Object tree;
        try {
            tree = YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid(origin + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        return new Reader(origin).experiment(tree);
    }

    /** Walks one file's tree, naming the file and field in every error. */
    private record Reader(String origin) {
        Experiment experiment(Object tree) {
            Map<String, Object> m = section("", tree, TOP);
            String name = name("name", m.get("name"));
            String salt = m.get("salt") == null ? name : text("salt", m.get("salt"));
            Unit unit = unit(m.get("unit"));
            String layer = name;
            double from = 0;
            double to = 100;
            Object l = m.get("layer");
            if (l instanceof Map<?, ?>) {
                Map<String, Object> lm = section("layer", l, LAYER);
                layer = name("layer.name", lm.get("name"));
                if (lm.get("range") != null) {
                    if (!(lm.get("range") instanceof List<?> r) || r.size() != 2) {
                        throw bad("layer.range", "must be [from, to] in percent of the layer, e.g. [0, 50]");
                    }
                    from = percent("layer.range[0]", r.get(0), 0);
                    to = percent("layer.range[1]", r.get(1), 100);
                    if (!(from < to)) throw bad("layer.range", "must have from < to; got [" + from + ", " + to + "]");
                }
            } else if (l != null) {
                layer = name("layer", l);
            }
            double traffic = percent("traffic", m.get("traffic"), 100);
            if (traffic == 0) throw bad("traffic", "must be above 0 (delete the file or set stop to pause the experiment)");
            double holdout = percent("holdout", m.get("holdout"), 0);
            if (holdout >= 100) throw bad("holdout", "must be below 100");
            Targeting targeting = targeting(m.get("targeting"));
            Instant start = instant("start", m.get("start"));
            Instant stop = instant("stop", m.get("stop"));
            if (start != null && stop != null && !start.isBefore(stop)) throw bad("stop", "must be after start");
            List<VariantDefinition> variants = variants(m.get("variants"));
            return new Experiment(name, salt, unit, layer, from, to, traffic, holdout, targeting, start, stop, variants, origin);
        }

        private List<VariantDefinition> variants(Object v) {
            if (!(v instanceof List<?> list) || list.size() < 2) {
                throw bad("variants", "must list at least two variants (name, weight, overrides)");
            }
            List<VariantDefinition> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String at = "variants[" + i + "]";
                Map<String, Object> m = section(at, list.get(i), VARIANT);
                String name = name(at + ".name", m.get("name"));
                if (Experiment.HOLDOUT.equals(name)) throw bad(at + ".name", "'holdout' is reserved for holdout units");
                if (!names.add(name)) throw bad(at + ".name", "repeats variant '" + name + "'");
                boolean shadow = bool(at + ".shadow", m.get("shadow"));
                if (shadow && i == 0) throw bad(at + ".shadow", "the first variant is the control and must answer requests; list shadow variants after it");
                if (shadow && m.get("weight") != null) throw bad(at + ".weight", "a shadow variant gets no units of its own (it runs on a copy of every enrolled request); remove its weight");
                double weight = number(at + ".weight", m.get("weight"), 1);
                if (!(weight > 0)) throw bad(at + ".weight", "must be above 0; got " + weight);
                out.add(new VariantDefinition(name, weight, overrides(at + ".overrides", m.get("overrides")), shadow));
            }
            return out;
        }

        private boolean bool(String at, Object v) {
            if (v == null) return false;
            if (v instanceof Boolean b) return b;
            throw bad(at, "must be true or false; got '" + v + "'");
        }

        private Map<String, Object> overrides(String at, Object v) {
            if (v == null) return Map.of();
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten(at, "", v, flat);
            for (Map.Entry<String, Object> e : flat.entrySet()) {
                String key = at + "." + e.getKey();
                Object value = e.getValue();
                switch (e.getKey()) {
                    case "retrieval.mode" -> {
                        String mode = text(key, value).toLowerCase(Locale.ROOT);
                        if (Stream.of(RetrievalMode.values()).noneMatch(r -> r.wireName().equals(mode))) {
                            throw bad(key, "must be one of dense, bm25, hybrid, graph; got '" + value + "'");
                        }
                        e.setValue(mode);
                    }
                    case "retrieval.top_k" -> e.setValue(whole(key, value, Query.MAX_TOP_K));
                    case "retrieval.candidates" -> e.setValue(whole(key, value, Query.MAX_CANDIDATES));
                    case "generator.max_tokens" -> e.setValue(whole(key, value, 1_000_000));
                    case "generator.temperature" -> e.setValue(number(key, value, 0));
                    case "model", "prompt", "routing.table" -> e.setValue(text(key, value));
                    default -> throw bad(key, "is not a setting a variant can override; use one of " + new TreeSet<>(OVERRIDE_KEYS));
                }
            }
            return flat;
        }

        private void flatten(String at, String prefix, Object v, Map<String, Object> out) {
            if (!(v instanceof Map<?, ?> m)) throw bad(at, "must be a section of setting: value pairs");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = prefix + e.getKey();
                if (e.getValue() instanceof Map<?, ?>) flatten(at, key + ".", e.getValue(), out);
                else if (e.getValue() == null || e.getValue() instanceof List<?>) throw bad(at + "." + key, "must be a single value");
                else out.put(key, e.getValue());
            }
        }

        private Targeting targeting(Object v) {
            if (v == null) return Targeting.ALL;
            Map<String, Object> m = section("targeting", v, TARGETING);
            return new Targeting(names("targeting.tenants", m.get("tenants")), names("targeting.apps", m.get("apps")),
                    names("targeting.routes", m.get("routes")));
        }

        private Set<String> names(String at, Object v) {
            if (v == null) return Set.of();
            List<?> items = v instanceof List<?> l ? l : List.of(v);
            Set<String> out = new HashSet<>();
            for (Object o : items) out.add(text(at, o));
            return out;
        }

        private Unit unit(Object v) {
            String s = text("unit", v == null ? "user" : v).toLowerCase(Locale.ROOT);
            for (Unit u : Unit.values()) if (u.wireName().equals(s)) return u;
            throw bad("unit", "must be one of api_key, tenant, user, request; got '" + v + "'");
        }

        private Instant instant(String at, Object v) {
            if (v == null) return null;
            String s = text(at, v);
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw bad(at, "must be an ISO-8601 time with an offset, e.g. 2026-12-01T00:00:00Z; got '" + s + "'");
            }
        }

        private double percent(String at, Object v, double def) {
            double p = number(at, v, def);
            if (!(p >= 0 && p <= 100)) throw bad(at, "must be a percentage between 0 and 100; got " + p);
            return p;
        }

        private double number(String at, Object v, double def) {
            if (v == null) return def;
            if (v instanceof Number n) return n.doubleValue();
            try {
                return Double.parseDouble(text(at, v));
            } catch (NumberFormatException e) {
                throw bad(at, "must be a number; got '" + v + "'");
            }
        }

        private int whole(String at, Object v, int max) {
            double d = number(at, v, 0);
            if (d != Math.rint(d) || d < 1 || d > max) throw bad(at, "must be a whole number from 1 to " + max + "; got " + v);
            return (int) d;
        }

        private String name(String at, Object v) {
            if (v == null) throw bad(at, "is required");
            String s = text(at, v);
            if (!NAME.matcher(s).matches()) {
                throw bad(at, "must be 1-64 lower-case letters, digits, '.', '-' or '_', starting with a letter or digit; got '" + s + "'");
            }
            return s;
        }

        private String text(String at, Object v) {
            if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) throw bad(at, "must be a single value");
            String s = String.valueOf(v).strip();
            if (s.isEmpty()) throw bad(at, "must not be blank");
            return s;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> section(String at, Object v, Set<String> keys) {
            if (!(v instanceof Map<?, ?> m)) {
                throw bad(at.isEmpty() ? "(file)" : at, "must be a section of key: value pairs");
            }
            for (Object k : m.keySet()) {
                if (!keys.contains(String.valueOf(k))) {
                    throw bad(at.isEmpty() ? String.valueOf(k) : at + "." + k, "is not a known key; known keys: " + new TreeSet<>(keys));
                }
            }
            return (Map<String, Object>) m;
        }

        private KeelException bad(String field, String problem) {
            return KeelException.invalid(origin + ": '" + field + "' " + problem);
        }
    }
}
