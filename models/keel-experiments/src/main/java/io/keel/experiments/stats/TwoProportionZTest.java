package io.keel.experiments.stats;

import io.keel.core.error.KeelException;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * The two-proportion z-test (error rates, guard blocks, thumbs-up rates) with a confidence interval for the difference.
 *
 * <p>The test uses the pooled proportion under the null hypothesis, {@code z = (p_B - p_A) / sqrt(p(1-p)(1/n_A + 1/n_B))};
 * the interval uses the unpooled (Wald) standard error {@code sqrt(p_A(1-p_A)/n_A + p_B(1-p_B)/n_B)}. Both rest on the
 * normal approximation: fine when each arm has at least about ten successes and ten failures.
 *
 * <p>Guarantee: false-positive rate {@code alpha} at one fixed-in-advance look (asymptotically).
 */
public final class TwoProportionZTest {
    private static final NormalDistribution Z = new NormalDistribution(0, 1);

    private TwoProportionZTest() {
    }

    /** Compares {@code successesB / nB} with {@code successesA / nA} at level {@code alpha}. */
    public static Comparison compare(long successesA, long nA, long successesB, long nB, double alpha) {
        Alpha.check(alpha);
        if (nA < 1 || nB < 1) throw KeelException.invalid("the two-proportion test needs at least one observation per arm");
        Sample a = Sample.ofProportion(successesA, nA);
        Sample b = Sample.ofProportion(successesB, nB);
        double pa = (double) successesA / nA;
        double pb = (double) successesB / nB;
        double pooled = (double) (successesA + successesB) / (nA + nB);
        double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
        double diff = pb - pa;
        double stat = sePooled == 0 ? 0 : diff / sePooled;
        double p = sePooled == 0 ? 1 : Math.min(1, 2 * Z.cumulativeProbability(-Math.abs(stat)));
        double se = Math.sqrt(pa * (1 - pa) / nA + pb * (1 - pb) / nB);
        double q = Z.inverseCumulativeProbability(1 - alpha / 2);
        Interval ci = new Interval(diff - q * se, diff + q * se, 1 - alpha);
        Sample wa = new Sample(nA, pa, pa * (1 - pa));
        Sample wb = new Sample(nB, pb, pb * (1 - pb));
        return new Comparison(pa, pb, diff, ci, WelchTTest.lift(a, b), WelchTTest.liftCi(wa, wb, alpha), stat, p, alpha);
    }
}
