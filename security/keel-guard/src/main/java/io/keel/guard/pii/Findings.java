package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Operations on lists of findings. */
public final class Findings {
    /** Highest score first; then earliest; then longest. */
    public static final Comparator<Finding> BY_SCORE = Comparator.comparingDouble(Finding::score).reversed()
            .thenComparingInt(Finding::start)
            .thenComparing(Comparator.comparingInt((Finding f) -> f.end() - f.start()).reversed());

    private Findings() {
    }

    /**
     * Drops a finding that lies inside a higher-scored finding of the same type, and exact duplicates, keeping
     * the best. This is how overlapping rules of one recognizer collapse into one finding.
     */
    public static List<Finding> removeContained(List<Finding> findings) {
        if (findings.size() < 2) return findings;
        return keepBest(findings, (kept, f) -> kept.type().equals(f.type()) && f.start() >= kept.start() && f.end() <= kept.end());
    }

    /**
     * Non-overlapping findings to rewrite a text with: where spans overlap, the higher score wins, then the longer.
     * The result is sorted by start.
     */
    public static List<Finding> nonOverlapping(List<Finding> findings) {
        return keepBest(findings, (kept, f) -> f.start() < kept.end() && kept.start() < f.end());
    }

    /** Best score first, each finding kept unless it conflicts with one already kept; sorted by start. */
    private static List<Finding> keepBest(List<Finding> findings, java.util.function.BiPredicate<Finding, Finding> conflicts) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(BY_SCORE);
        List<Finding> kept = new ArrayList<>();
        for (Finding f : sorted) {
            if (kept.stream().noneMatch(k -> conflicts.test(k, f))) kept.add(f);
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }
}
