package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a set of recognizers over a text, adjusts each finding by the context words around it and keeps those at or
 * above their entity type's threshold. Thread-safe.
 */
public final class PiiScanner {
    private final List<PiiRecognizer> recognizers;
    private final Map<String, Double> thresholds;
    private final double defaultThreshold;

    /**
     * @param thresholds       minimum score per entity type; types not listed use {@code defaultThreshold}
     * @param defaultThreshold in [0, 1]
     */
    public PiiScanner(List<PiiRecognizer> recognizers, Map<String, Double> thresholds, double defaultThreshold) {
        this.recognizers = List.copyOf(recognizers);
        this.thresholds = Map.copyOf(thresholds);
        this.defaultThreshold = defaultThreshold;
        if (defaultThreshold < 0 || defaultThreshold > 1) throw new IllegalArgumentException("threshold must be in [0, 1]");
    }

    /** All built-in recognizers, threshold 0.5. */
    public static PiiScanner standard() {
        return new PiiScanner(StandardRecognizers.all(), Map.of(), 0.5);
    }

    /** Only the recognizers that report at least one of {@code types}. */
    public PiiScanner restrictedTo(Set<String> types) {
        List<PiiRecognizer> kept = recognizers.stream()
                .filter(r -> r.entityTypes().stream().anyMatch(types::contains)).toList();
        return new PiiScanner(kept, thresholds, defaultThreshold);
    }

    public List<PiiRecognizer> recognizers() {
        return recognizers;
    }

    public double threshold(String type) {
        return thresholds.getOrDefault(type, defaultThreshold);
    }

    /** Findings at or above threshold, after context scoring; overlapping findings of different types are all kept. */
    public List<Finding> scan(String text) {
        Objects.requireNonNull(text, "text");
        List<Finding> out = new ArrayList<>();
        for (PiiRecognizer r : recognizers) {
            ContextWords ctx = r.context();
            for (Finding f : r.recognize(text)) {
                double score = ctx.adjust(text, f.start(), f.end(), f.score());
                if (score >= threshold(f.type())) out.add(new Finding(f.type(), f.start(), f.end(), score, f.detector()));
            }
        }
        return out;
    }

    /** Entity types any recognizer here can report. */
    public Set<String> entityTypes() {
        return recognizers.stream().flatMap(r -> r.entityTypes().stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
