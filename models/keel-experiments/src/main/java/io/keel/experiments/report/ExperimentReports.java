package io.keel.experiments.report;

import io.keel.core.error.KeelException;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.OutcomeSums;
import io.keel.core.spi.RequestRecord;
import io.keel.experiments.Experiment;
import io.keel.experiments.VariantDefinition;
import io.keel.experiments.stats.Comparison;
import io.keel.experiments.stats.Interval;
import io.keel.experiments.stats.MultipleTesting;
import io.keel.experiments.stats.Sample;
import io.keel.experiments.stats.SampleRatioMismatch;
import io.keel.experiments.stats.SampleSize;
import io.keel.experiments.stats.SequentialTest;
import io.keel.experiments.stats.TwoProportionZTest;
import io.keel.experiments.stats.WelchTTest;
import org.hipparchus.distribution.continuous.NormalDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes an {@link ExperimentReport} from the request log and feedback.
 *
 * <p>Means are compared by Welch's t-test and rates by the two-proportion z-test; within each treatment the p-values
 * of all metrics are corrected by Holm's method, and a difference is reported only when the corrected p-value is
 * below alpha and both arms have at least {@code minPerArm} requests. The sequential p-value is the mSPRT's, with the
 * mixing scale a quarter of the control's standard deviation. The sample-ratio check compares requests per variant
 * with the configured weights (holdout units are not counted).
 */
public final class ExperimentReports {
    /** Requests per arm before a verdict, unless configured otherwise. */
    public static final long DEFAULT_MIN_PER_ARM = 100;
    private static final double POWER = 0.8;

    private ExperimentReports() {
    }

    /** The report from every record of the experiment and the feedback on them. */
    public static ExperimentReport compute(Experiment experiment, List<RequestRecord> records, List<Feedback> feedback,
                                           double alpha, long minPerArm) {
        List<String> names = experiment.variants().stream().map(VariantDefinition::name).toList();
        return compute(experiment, Outcomes.of(experiment.name(), names, records, feedback), alpha, minPerArm);
    }

    /**
     * The same report from the per-variant sums the stores keep ({@link io.keel.core.spi.RequestStore#outcomeSums},
     * {@link io.keel.core.spi.FeedbackStore#outcomeSums}): what the report route uses, at a cost independent of the
     * experiment's size.
     */
    public static ExperimentReport computeFromSums(Experiment experiment, List<OutcomeSums> requestSums,
                                                   List<OutcomeSums> feedbackSums, double alpha, long minPerArm) {
        List<String> names = experiment.variants().stream().map(VariantDefinition::name).toList();
        return compute(experiment, Outcomes.ofSums(names, requestSums, feedbackSums), alpha, minPerArm);
    }

    /** The report from outcomes already gathered per variant. */
    public static ExperimentReport compute(Experiment experiment, Outcomes o, double alpha, long minPerArm) {
        if (minPerArm < 2) throw KeelException.invalid("the minimum sample per arm must be at least 2; got " + minPerArm);
        List<String> names = experiment.variants().stream().map(VariantDefinition::name).toList();
        String control = names.getFirst();
        double z = new NormalDistribution(0, 1).inverseCumulativeProbability(1 - alpha / 2);

        List<ExperimentReport.VariantSummary> variants = new ArrayList<>();
        for (VariantDefinition v : experiment.variants()) {
            Map<String, ExperimentReport.MetricSummary> metrics = new LinkedHashMap<>();
            for (Metric m : o.metrics()) {
                Sample s = o.sample(m, v.name());
                double sd = Math.sqrt(s.variance());
                Interval ci = s.n() < 2 ? null : new Interval(s.mean() - z * sd / Math.sqrt(s.n()), s.mean() + z * sd / Math.sqrt(s.n()), 1 - alpha);
                metrics.put(m.name(), new ExperimentReport.MetricSummary(s.n(), s.mean(), sd, ci));
            }
            variants.add(new ExperimentReport.VariantSummary(v.name(), v.weight(), o.requests(v.name()), metrics));
        }

        Map<String, List<ExperimentReport.MetricComparison>> comparisons = new LinkedHashMap<>();
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String t : names.subList(1, names.size())) {
            List<ExperimentReport.MetricComparison> list = compare(o, control, t, alpha);
            comparisons.put(t, list);
            verdicts.put(t, Verdict.sentence(t, control, o.requests(control), o.requests(t), list, alpha, minPerArm));
        }

        // shadow arms run on copies of enrolled requests: only the live arms' counts must match their weights
        List<VariantDefinition> live = experiment.liveVariants();
        long[] observed = live.stream().mapToLong(v -> o.requests(v.name())).toArray();
        double[] weights = live.stream().mapToDouble(VariantDefinition::weight).toArray();
        SampleRatioMismatch.Result srm = live.size() < 2 || java.util.Arrays.stream(observed).sum() == 0 ? null
                : SampleRatioMismatch.check(observed, weights);
        return new ExperimentReport(experiment.name(), control, alpha, minPerArm, variants, comparisons, srm, verdicts);
    }

    private static List<ExperimentReport.MetricComparison> compare(Outcomes o, String control, String treatment, double alpha) {
        List<Metric> metrics = o.metrics();
        Comparison[] cs = new Comparison[metrics.size()];
        double[] seq = new double[metrics.size()];
        long[] more = new long[metrics.size()];
        List<Double> ps = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            Sample a = o.sample(m, control);
            Sample b = o.sample(m, treatment);
            seq[i] = Double.NaN;
            more[i] = -1;
            if (a.n() < 2 || b.n() < 2 || a.variance() + b.variance() == 0) continue;
            cs[i] = m.rate()
                    ? TwoProportionZTest.compare(Math.round(a.mean() * a.n()), a.n(), Math.round(b.mean() * b.n()), b.n(), alpha)
                    : WelchTTest.compare(a, b, alpha);
            ps.add(cs[i].pValue());
            double sd = Math.sqrt(a.variance());
            double pooledSd = Math.sqrt((a.variance() + b.variance()) / 2);
            if (sd > 0) seq[i] = new SequentialTest(alpha, sd / 4).look(a, b).pValue();
            double diff = Math.abs(b.mean() - a.mean());
            if (diff > 0 && pooledSd > 0) {
                long need = SampleSize.perArmForMeans(pooledSd, diff, alpha, POWER);
                // beyond a billion per arm the observed difference is noise for any practical purpose
                if (need < 1_000_000_000L) more[i] = Math.max(0, need - Math.min(a.n(), b.n()));
            }
        }
        double[] adjusted = MultipleTesting.holm(ps.stream().mapToDouble(Double::doubleValue).toArray());
        List<ExperimentReport.MetricComparison> out = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < metrics.size(); i++) {
            double adj = cs[i] == null ? Double.NaN : adjusted[k++];
            out.add(new ExperimentReport.MetricComparison(metrics.get(i), cs[i], adj, seq[i], more[i]));
        }
        return out;
    }
}
