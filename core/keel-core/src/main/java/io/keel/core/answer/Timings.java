package io.keel.core.answer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time spent in each stage of one request, in nanoseconds. The standard stages are always present (zero
 * when a stage did not run), so clients can rely on the keys; other stages may add their own.
 */
public record Timings(Map<String, Long> nanos) {
    public static final String GUARD_INPUT = "guard_input";
    public static final String EMBEDDING = "embedding";
    public static final String VECTOR_SEARCH = "vector_search";
    public static final String INFERENCE = "inference";
    public static final String GUARD_OUTPUT = "guard_output";
    public static final String TOTAL = "total";
    public static final List<String> STANDARD = List.of(GUARD_INPUT, EMBEDDING, VECTOR_SEARCH, INFERENCE, GUARD_OUTPUT, TOTAL);

    public static final Timings EMPTY = new Timings(Map.of());

    public Timings {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String s : STANDARD) ordered.put(s, 0L);
        ordered.putAll(nanos);
        nanos = Collections.unmodifiableMap(ordered);
    }

    public long nanosOf(String stage) {
        return nanos.getOrDefault(stage, 0L);
    }

    public double millisOf(String stage) {
        return nanosOf(stage) / 1_000_000.0;
    }

    /** Stage name to milliseconds, rounded to microseconds, in stable order. */
    public Map<String, Double> millis() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, Math.round(v / 1_000.0) / 1_000.0));
        return out;
    }

    /** A mutable, single-request accumulator; not thread-safe (one request runs its stages in sequence). */
    public static final class Recorder {
        private final Map<String, Long> nanos = new LinkedHashMap<>();

        public void add(String stage, long elapsedNanos) {
            nanos.merge(stage, Math.max(0, elapsedNanos), Long::sum);
        }

        public Timings snapshot() {
            return new Timings(nanos);
        }
    }
}
