package io.keel.app.replay;

import java.util.List;
import java.util.Map;

/**
 * The aggregate of a replay. Totals and means cover the rows that replayed ({@code status ok}), on both sides alike.
 *
 * @param requests     requests selected for replay
 * @param replayed     of which the candidate answered
 * @param errors       of which the candidate failed
 * @param skipped      log records in the window that were not replayed, by reason
 * @param errorRate    errors / requests (0 when nothing was selected)
 * @param meanSimilarity mean answer similarity, null when none could be computed
 * @param changedShare share of replayed answers whose similarity is below {@value Replayer#CHANGED_BELOW}
 */
public record ReplaySummary(int requests, int replayed, int errors, Map<String, Integer> skipped, double errorRate,
                            Totals original, Totals candidate, Deltas deltas, Double meanSimilarity, Double changedShare,
                            List<String> notes) {
    public ReplaySummary {
        skipped = Map.copyOf(skipped == null ? Map.of() : skipped);
        notes = List.copyOf(notes == null ? List.of() : notes);
    }

    /**
     * @param meanGroundedness over the rows where it could be computed, null when none
     * @param guardHits        total output-guard findings, null when no guard is configured
     */
    public record Totals(double costUsd, long promptTokens, long completionTokens, double meanLatencyMs,
                         Double meanGroundedness, Long guardHits) {
        public long totalTokens() {
            return promptTokens + completionTokens;
        }

        public double meanCostUsd(int n) {
            return n == 0 ? 0 : costUsd / n;
        }
    }

    /**
     * Candidate relative to original. Percentages are relative ({@code +25.0} = a quarter more) and null when the
     * original is zero; groundedness is absolute (candidate mean minus original mean).
     *
     * @param guardHits candidate total minus original total, null without a guard
     */
    public record Deltas(Double costPct, Double latencyPct, Double tokensPct, Double groundedness, Long guardHits) {
    }
}
