package io.keel.experiments.stats;

import io.keel.core.error.KeelException;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;

import java.util.Arrays;

/**
 * The sample-ratio-mismatch check: do the arms' observed counts fit the configured weights? A mismatch (a chi-square
 * goodness-of-fit p-value below the threshold) means assignment or logging is broken for some arm (a crash, a filter,
 * a redirect that loses users), and every other result of the experiment is suspect.
 *
 * <p>The threshold is deliberately strict (the usual choice is 0.001 to 0.01) because the check runs on every report of
 * every experiment and a false alarm discards a healthy experiment.
 */
public final class SampleRatioMismatch {
    /** The default p-value below which a mismatch is declared. */
    public static final double DEFAULT_THRESHOLD = 0.01;

    private SampleRatioMismatch() {
    }

    /**
     * @param chiSquare the statistic
     * @param pValue    its p-value with {@code arms - 1} degrees of freedom
     * @param expected  the counts the weights predict
     * @param mismatch  {@code pValue < threshold}
     */
    public record Result(double chiSquare, double pValue, double[] expected, boolean mismatch) {
        @Override
        public String toString() {
            return "SRM[chi2=" + chiSquare + ", p=" + pValue + ", expected=" + Arrays.toString(expected) + ", mismatch=" + mismatch + "]";
        }
    }

    /**
     * @param observed  count of units (or requests) per arm
     * @param weights   configured weight per arm (any positive scale; normalised here)
     * @param threshold p-value below which the split is declared broken
     */
    public static Result check(long[] observed, double[] weights, double threshold) {
        Alpha.check(threshold);
        if (observed.length != weights.length || observed.length < 2) {
            throw KeelException.invalid("the SRM check needs one weight per arm and at least two arms; got "
                    + observed.length + " counts and " + weights.length + " weights");
        }
        double totalWeight = 0;
        long total = 0;
        for (int i = 0; i < observed.length; i++) {
            if (observed[i] < 0) throw KeelException.invalid("arm counts must not be negative; got " + observed[i]);
            if (!(weights[i] > 0)) throw KeelException.invalid("arm weights must be positive; got " + weights[i]);
            totalWeight += weights[i];
            total += observed[i];
        }
        if (total == 0) return new Result(0, 1, new double[observed.length], false);
        double[] expected = new double[observed.length];
        double chi2 = 0;
        for (int i = 0; i < observed.length; i++) {
            expected[i] = total * weights[i] / totalWeight;
            double d = observed[i] - expected[i];
            chi2 += d * d / expected[i];
        }
        double p = 1 - new ChiSquaredDistribution(observed.length - 1).cumulativeProbability(chi2);
        return new Result(chi2, p, expected, p < threshold);
    }

    /** {@link #check(long[], double[], double)} at {@link #DEFAULT_THRESHOLD}. */
    public static Result check(long[] observed, double[] weights) {
        return check(observed, weights, DEFAULT_THRESHOLD);
    }
}
