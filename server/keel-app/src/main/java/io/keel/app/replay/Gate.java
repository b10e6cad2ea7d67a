package io.keel.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.core.error.KeelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thresholds that turn a replay into a gate: the candidate fails when any is crossed. A YAML file of
 * {@code key: number} pairs, every key optional, unknown keys an error:
 * <pre>
 * max_cost_increase_pct: 10        # total cost, candidate vs original, in percent
 * max_latency_increase_pct: 25     # mean end-to-end latency, in percent
 * max_tokens_increase_pct: 20      # total tokens, in percent
 * min_groundedness: 0.7            # the candidate's mean groundedness (0..1)
 * max_groundedness_drop: 0.05      # mean per-request drop, original minus candidate (0..1)
 * min_answer_similarity: 0.8       # mean similarity to the original answers (0..1)
 * max_changed_share: 0.3           # share of answers that changed materially (0..1)
 * max_guard_hits_increase: 0       # output guard findings, candidate minus original
 * max_error_rate: 0.01             # failed candidate calls / requests (0..1)
 * </pre>
 * A run that replayed nothing always fails: it proves nothing about the candidate.
 */
public final class Gate {
    /** The keys a gate file may use, in the order checks are reported. */
    public static final List<String> KEYS = List.of("max_cost_increase_pct", "max_latency_increase_pct", "max_tokens_increase_pct",
            "min_groundedness", "max_groundedness_drop", "min_answer_similarity", "max_changed_share", "max_guard_hits_increase",
            "max_error_rate");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Double> thresholds;

    private Gate(Map<String, Double> thresholds) {
        this.thresholds = thresholds;
    }

    /** A gate of {@code key: threshold} pairs; unknown keys and out-of-range values are errors. */
    public static Gate of(Map<String, ? extends Number> thresholds) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String key : thresholds.keySet()) {
            if (!KEYS.contains(key)) throw unknown(key);
        }
        for (String key : KEYS) {
            Number n = thresholds.get(key);
            if (n == null) continue;
            double v = n.doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) throw KeelException.invalid("gate key '" + key + "' must be a finite number; got " + n);
            if (key.startsWith("min_") || key.equals("max_changed_share") || key.equals("max_error_rate") || key.equals("max_groundedness_drop")) {
                if (v < 0 || v > 1) throw KeelException.invalid("gate key '" + key + "' is a share between 0 and 1; got " + n);
            }
            ordered.put(key, v);
        }
        return new Gate(ordered);
    }

    /** Reads a gate file; a missing file, invalid YAML, non-numbers and unknown keys are usage errors. */
    public static Gate load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw KeelException.invalid("gate file " + file + " does not exist");
        } catch (IOException e) {
            throw KeelException.invalid("gate file " + file + " could not be read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** A gate from YAML text; {@code origin} names it in errors. */
    public static Gate parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = yaml == null || yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (IOException e) {
            throw KeelException.invalid("gate file " + origin + " is not valid YAML: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) return new Gate(Map.of());
        if (!root.isObject()) throw KeelException.invalid("gate file " + origin + " must be a map of key: number; keys: " + KEYS);
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) throw unknown(e.getKey());
            if (!e.getValue().isNumber()) {
                throw KeelException.invalid("gate key '" + e.getKey() + "' in " + origin + " must be a number; got '" + e.getValue().asText() + "'");
            }
            values.put(e.getKey(), e.getValue().doubleValue());
        }
        return of(values);
    }

    private static KeelException unknown(String key) {
        return KeelException.invalid("unknown gate key '" + key + "'; accepted: " + String.join(", ", KEYS));
    }

    public Map<String, Double> thresholds() {
        return Map.copyOf(thresholds);
    }

    /** Each threshold against {@code s}; a number the run could not measure fails its check. */
    public GateVerdict evaluate(ReplaySummary s) {
        List<GateVerdict.Check> checks = new ArrayList<>();
        checks.add(new GateVerdict.Check("replayed", 1, (double) s.replayed(), s.replayed() >= 1,
                s.replayed() >= 1 ? s.replayed() + " request(s) replayed" : "no request was replayed, so nothing is known about the candidate"));
        for (Map.Entry<String, Double> e : thresholds.entrySet()) {
            String key = e.getKey();
            double limit = e.getValue();
            checks.add(switch (key) {
                case "max_cost_increase_pct" -> max(key, limit, s.deltas().costPct(), "cost change", "%+.1f%%");
                case "max_latency_increase_pct" -> max(key, limit, s.deltas().latencyPct(), "mean latency change", "%+.1f%%");
                case "max_tokens_increase_pct" -> max(key, limit, s.deltas().tokensPct(), "token change", "%+.1f%%");
                case "min_groundedness" -> min(key, limit, s.candidate().meanGroundedness(), "candidate mean groundedness", "%.3f");
                case "max_groundedness_drop" -> max(key, limit, drop(s), "groundedness drop", "%.3f");
                case "min_answer_similarity" -> min(key, limit, s.meanSimilarity(), "mean answer similarity", "%.3f");
                case "max_changed_share" -> max(key, limit, s.changedShare(), "share of changed answers", "%.3f");
                case "max_guard_hits_increase" -> max(key, limit, s.deltas().guardHits() == null ? null : s.deltas().guardHits().doubleValue(),
                        "guard hits change", "%+.0f");
                case "max_error_rate" -> max(key, limit, s.errorRate(), "error rate", "%.3f");
                default -> throw new IllegalStateException(key);
            });
        }
        return new GateVerdict(checks.stream().allMatch(GateVerdict.Check::passed), checks);
    }

    private static Double drop(ReplaySummary s) {
        return s.deltas().groundedness() == null ? null : -s.deltas().groundedness();
    }

    private static GateVerdict.Check max(String key, double limit, Double actual, String what, String format) {
        if (actual == null) return unmeasured(key, limit, what);
        boolean ok = actual <= limit + 1e-9;
        return new GateVerdict.Check(key, limit, actual, ok, what + " " + fmt(format, actual) + (ok ? " <= " : " > ") + fmt(format, limit));
    }

    private static GateVerdict.Check min(String key, double limit, Double actual, String what, String format) {
        if (actual == null) return unmeasured(key, limit, what);
        boolean ok = actual >= limit - 1e-9;
        return new GateVerdict.Check(key, limit, actual, ok, what + " " + fmt(format, actual) + (ok ? " >= " : " < ") + fmt(format, limit));
    }

    private static GateVerdict.Check unmeasured(String key, double limit, String what) {
        return new GateVerdict.Check(key, limit, null, false, what + " could not be measured on this run");
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
