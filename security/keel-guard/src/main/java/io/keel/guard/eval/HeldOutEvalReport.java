package io.keel.guard.eval;

import java.util.List;

/**
 * A detector on the held-out part of each data set: the injection detector (normalization, rules, classifier on the
 * whole text and its sentences) or the content-safety detector.
 *
 * @param title what was evaluated, the table's first line
 * @param split how the held-out parts were chosen
 * @param rows  one per data set and label
 */
public record HeldOutEvalReport(String title, String split, List<Row> rows) {
    /**
     * @param positive true when the rows are attacks (the rate is recall), false when benign (the rate is the
     *                 false-positive rate)
     * @param target   the rate to meet: recall at least, FPR at most; NaN when there is none
     */
    public record Row(String set, String split, boolean positive, int texts, int flagged, double target) {
        public double rate() {
            return texts == 0 ? 0 : (double) flagged / texts;
        }

        public boolean meetsTarget() {
            return Double.isNaN(target) || (positive ? rate() >= target : rate() <= target);
        }
    }

    public HeldOutEvalReport {
        rows = List.copyOf(rows);
    }
}
