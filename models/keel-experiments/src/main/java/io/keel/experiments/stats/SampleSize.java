package io.keel.experiments.stats;

import io.keel.core.error.KeelException;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * How much data a fixed-horizon two-sided test needs, and the power it has: the normal-approximation formulas for two
 * equal arms. A report uses them to say "n more requests per arm needed" instead of "no difference".
 */
public final class SampleSize {
    private static final NormalDistribution Z = new NormalDistribution(0, 1);

    private SampleSize() {
    }

    /**
     * Observations per arm to detect a difference of means {@code effect} with the given power, when each observation
     * has standard deviation {@code sd}: {@code n = 2 sd^2 (z_{1-alpha/2} + z_{power})^2 / effect^2}, rounded up.
     */
    public static long perArmForMeans(double sd, double effect, double alpha, double power) {
        check(sd, effect, alpha, power);
        double z = Z.inverseCumulativeProbability(1 - alpha / 2) + Z.inverseCumulativeProbability(power);
        return (long) Math.ceil(2 * sd * sd * z * z / (effect * effect));
    }

    /**
     * Observations per arm to detect a change of a proportion from {@code baseline} by {@code effect} (absolute, e.g.
     * 0.02 for two points), pooled variance under the null and unpooled under the alternative.
     */
    public static long perArmForProportions(double baseline, double effect, double alpha, double power) {
        double p2 = baseline + effect;
        if (!(baseline > 0 && baseline < 1 && p2 > 0 && p2 < 1)) {
            throw KeelException.invalid("the baseline and baseline + effect must be proportions strictly between 0 and 1; got "
                    + baseline + " and " + p2);
        }
        check(1, effect, alpha, power);
        double pBar = (baseline + p2) / 2;
        double za = Z.inverseCumulativeProbability(1 - alpha / 2);
        double zb = Z.inverseCumulativeProbability(power);
        double num = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(baseline * (1 - baseline) + p2 * (1 - p2));
        return (long) Math.ceil(num * num / (effect * effect));
    }

    /** The power of the two-sided test of means with {@code n} per arm against a true difference {@code effect}. */
    public static double powerForMeans(long n, double sd, double effect, double alpha) {
        check(sd, effect, alpha, 0.5);
        if (n < 2) throw KeelException.invalid("power needs at least 2 observations per arm; got " + n);
        double se = sd * Math.sqrt(2.0 / n);
        double za = Z.inverseCumulativeProbability(1 - alpha / 2);
        double shift = Math.abs(effect) / se;
        return Z.cumulativeProbability(shift - za) + Z.cumulativeProbability(-shift - za);
    }

    private static void check(double sd, double effect, double alpha, double power) {
        Alpha.check(alpha);
        if (!(sd > 0) || !Double.isFinite(sd)) throw KeelException.invalid("the standard deviation must be positive; got " + sd);
        if (effect == 0 || !Double.isFinite(effect)) throw KeelException.invalid("the effect must be a non-zero number; got " + effect);
        if (!(power > 0 && power < 1)) throw KeelException.invalid("power must be between 0 and 1 (exclusive); got " + power);
    }
}
