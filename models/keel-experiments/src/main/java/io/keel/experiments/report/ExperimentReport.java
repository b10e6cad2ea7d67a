package io.keel.experiments.report;

import io.keel.experiments.stats.Comparison;
import io.keel.experiments.stats.Interval;
import io.keel.experiments.stats.SampleRatioMismatch;

import java.util.List;
import java.util.Map;

/**
 * The statistics of one experiment: every variant's outcomes, each treatment compared with the control, the
 * sample-ratio check and one plain verdict per treatment.
 *
 * @param experiment the experiment's name
 * @param control    the control variant (the first one defined)
 * @param alpha      the significance level; intervals are {@code 1 - alpha}
 * @param minPerArm  requests every arm needs before a verdict names a winner
 * @param variants   per variant: requests, configured weight and every metric's summary
 * @param comparisons per treatment, per metric: the comparison with the control (null fields when not computable)
 * @param srm        the sample-ratio check of requests against the configured weights, null before any request
 * @param verdicts   per treatment, one sentence
 */
public record ExperimentReport(String experiment, String control, double alpha, long minPerArm, List<VariantSummary> variants,
                               Map<String, List<MetricComparison>> comparisons, SampleRatioMismatch.Result srm,
                               Map<String, String> verdicts) {

    /** One variant's share of traffic and outcomes. */
    public record VariantSummary(String name, double weight, long requests, Map<String, MetricSummary> metrics) {
    }

    /**
     * One metric in one variant.
     *
     * @param ci the {@code 1 - alpha} interval for the mean (normal approximation), null with fewer than 2 observations
     */
    public record MetricSummary(long n, double mean, double sd, Interval ci) {
    }

    /**
     * One metric of a treatment against the control.
     *
     * @param comparison      Welch (means) or two-proportion z-test (rates); null when either arm has too little data
     * @param adjustedP       the p-value after Holm's correction across this treatment's metrics, NaN without a comparison
     * @param sequentialP     the always-valid (mSPRT) p-value, safe to read at every look; NaN when not computable
     * @param moreNeededPerArm requests per arm still needed to detect the observed difference with 80 % power, or -1
     */
    public record MetricComparison(Metric metric, Comparison comparison, double adjustedP, double sequentialP,
                                   long moreNeededPerArm) {
        public boolean significant(double alpha) {
            return comparison != null && adjustedP < alpha;
        }
    }
}
