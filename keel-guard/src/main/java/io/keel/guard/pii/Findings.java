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
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(BY_SCORE);
        List<Finding> kept = new ArrayList<>();
        outer:
        for (Finding f : sorted) {
            for (Finding k : kept) {
                if (k.type().equals(f.type()) && f.start() >= k.start() && f.end() <= k.end()) continue outer;
            }
            kept.add(f);
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }

    /**
     * Non-overlapping findings to rewrite a text with: where spans overlap, the higher score wins, then the longer.
     * The result is sorted by start.
     */
    public static List<Finding> nonOverlapping(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(BY_SCORE);
        List<Finding> kept = new ArrayList<>();
        outer:
        for (Finding f : sorted) {
            for (Finding k : kept) {
                if (f.start() < k.end() && k.start() < f.end()) continue outer;
            }
            kept.add(f);
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }
}
