package io.keel.experiments.stats;

import io.keel.core.error.KeelException;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Welch's unequal-variance t-test for the difference of two means, with a confidence interval for the difference and
 * for the relative lift.
 *
 * <p>The statistic is {@code t = (mean_B - mean_A) / sqrt(var_A/n_A + var_B/n_B)} with Welch-Satterthwaite degrees of
 * freedom. The lift {@code mean_B / mean_A - 1} gets a delta-method interval: the variance of the ratio of means is
 * approximated by {@code var_B/(n_B mean_A^2) + mean_B^2 var_A/(n_A mean_A^4)}, good when both arms have hundreds of
 * observations and the control's mean is well away from zero.
 *
 * <p>Guarantee: at a single, fixed-in-advance look the false-positive rate is {@code alpha} (asymptotically, for any
 * distribution with finite variance). Looking repeatedly and stopping at the first significant result inflates it; use
 * {@link SequentialTest} for that.
 */
public final class WelchTTest {
    private WelchTTest() {
    }

    /** Compares treatment B with control A at level {@code alpha} (0.05 gives 95% intervals). */
    public static Comparison compare(Sample a, Sample b, double alpha) {
        Alpha.check(alpha);
        a.requireAtLeast(2, "Welch's t-test");
        b.requireAtLeast(2, "Welch's t-test");
        double va = a.varianceOfMean();
        double vb = b.varianceOfMean();
        double se2 = va + vb;
        double diff = b.mean() - a.mean();
        if (se2 == 0) {
            throw KeelException.invalid("Welch's t-test needs some variation in at least one arm; both arms are constant");
        }
        double se = Math.sqrt(se2);
        double df = se2 * se2 / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        TDistribution t = new TDistribution(df);
        double stat = diff / se;
        double p = Math.min(1, 2 * t.cumulativeProbability(-Math.abs(stat)));
        double q = t.inverseCumulativeProbability(1 - alpha / 2);
        Interval diffCi = new Interval(diff - q * se, diff + q * se, 1 - alpha);
        return new Comparison(a.mean(), b.mean(), diff, diffCi, lift(a, b), liftCi(a, b, alpha), stat, p, alpha);
    }

    /** Only the two-sided p-value of {@link #compare}: cheaper, for monitoring loops. */
    public static double pValue(Sample a, Sample b) {
        a.requireAtLeast(2, "Welch's t-test");
        b.requireAtLeast(2, "Welch's t-test");
        double va = a.varianceOfMean();
        double vb = b.varianceOfMean();
        double se2 = va + vb;
        if (se2 == 0) throw KeelException.invalid("Welch's t-test needs some variation in at least one arm; both arms are constant");
        double df = se2 * se2 / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double stat = (b.mean() - a.mean()) / Math.sqrt(se2);
        return Math.min(1, 2 * new TDistribution(df).cumulativeProbability(-Math.abs(stat)));
    }

    static double lift(Sample a, Sample b) {
        return a.mean() == 0 ? Double.NaN : b.mean() / a.mean() - 1;
    }

    /** Delta-method interval for {@code mean_B / mean_A - 1}; null when the control's mean is 0. */
    static Interval liftCi(Sample a, Sample b, double alpha) {
        if (a.mean() == 0) return null;
        double ma = a.mean();
        double mb = b.mean();
        double var = b.varianceOfMean() / (ma * ma) + mb * mb * a.varianceOfMean() / (ma * ma * ma * ma);
        double z = new NormalDistribution(0, 1).inverseCumulativeProbability(1 - alpha / 2);
        double lift = mb / ma - 1;
        double half = z * Math.sqrt(var);
        return new Interval(lift - half, lift + half, 1 - alpha);
    }
}
