package io.keel.experiments.stats;

/**
 * The result of comparing a treatment arm (B) with a control arm (A) on one metric.
 *
 * @param control        the control's mean (or proportion)
 * @param treatment      the treatment's mean (or proportion)
 * @param difference     {@code treatment - control}
 * @param differenceCi   confidence interval for the difference
 * @param lift           relative difference {@code (treatment - control) / control}, NaN when the control is 0
 * @param liftCi         confidence interval for the lift (delta method), null when the control is 0
 * @param statistic      the test statistic (t or z)
 * @param pValue         two-sided p-value under "no difference"
 * @param alpha          the level the intervals were built for ({@code 1 - confidence})
 */
public record Comparison(double control, double treatment, double difference, Interval differenceCi, double lift,
                         Interval liftCi, double statistic, double pValue, double alpha) {
    /** True when the difference is significant at {@link #alpha()}. */
    public boolean significant() {
        return pValue < alpha;
    }
}
