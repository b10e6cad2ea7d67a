package io.keel.experiments.stats;

import io.keel.core.error.KeelException;

/**
 * An always-valid test of "no difference" that may be checked after every request: the mixture sequential probability
 * ratio test (mSPRT) with a normal mixture, after Johari, Pekelis and Walsh, "Always Valid Inference" (2017).
 *
 * <p>With {@code d} the observed difference of means (B - A) and {@code s2 = var_A/n_A + var_B/n_B} its variance, the
 * statistic is the likelihood ratio of "the true difference is drawn from N(0, tau^2)" against "it is 0":
 * <pre>  Lambda = sqrt(s2 / (s2 + tau^2)) * exp(tau^2 d^2 / (2 s2 (s2 + tau^2)))</pre>
 * Under no difference, Lambda is a nonnegative martingale with mean 1, so by Ville's inequality the chance that it
 * <em>ever</em> reaches {@code 1/alpha} is at most alpha. Hence: reject as soon as {@code Lambda >= 1/alpha}; the
 * always-valid p-value is {@code min(1, 1/max Lambda so far)}; inverting the test gives a confidence sequence, an
 * interval that covers the true difference at every look simultaneously with probability {@code 1 - alpha}.
 *
 * <p>Guarantee: false-positive rate at most alpha however often the result is looked at and whenever the experiment
 * is stopped (asymptotically: the arms' variances are estimated, so keep a warm-up of about a hundred observations per
 * arm). The price is power: at a fixed horizon it needs more data than {@link WelchTTest}.
 *
 * <p>{@code tau} is the scale of effects one expects to find, in the metric's units (e.g. the minimum detectable
 * effect); the test is valid for any tau and most powerful for effects near it.
 */
public final class SequentialTest {
    private final double alpha;
    private final double tau2;

    /**
     * @param alpha the false-positive rate to hold under continuous monitoring
     * @param tau   the mixing standard deviation over effects, in the metric's units, {@code > 0}
     */
    public SequentialTest(double alpha, double tau) {
        this.alpha = Alpha.check(alpha);
        if (!(tau > 0) || !Double.isFinite(tau)) throw KeelException.invalid("tau must be a positive number; got " + tau);
        this.tau2 = tau * tau;
    }

    /**
     * One look at the running data.
     *
     * @param difference        observed {@code mean_B - mean_A}
     * @param likelihoodRatio   the mixture likelihood ratio Lambda (an e-value: evidence against "no difference")
     * @param pValue            {@code min(1, 1/Lambda)} at this look; the always-valid p-value is the running minimum
     * @param confidenceSequence an interval for the difference valid at every look at once
     * @param rejected          {@code Lambda >= 1/alpha}
     */
    public record Look(double difference, double likelihoodRatio, double pValue, Interval confidenceSequence, boolean rejected) {
    }

    /** Evaluates the test on the data so far (treatment B against control A). */
    public Look look(Sample a, Sample b) {
        a.requireAtLeast(2, "the sequential test");
        b.requireAtLeast(2, "the sequential test");
        double s2 = a.varianceOfMean() + b.varianceOfMean();
        double d = b.mean() - a.mean();
        if (s2 == 0) {
            throw KeelException.invalid("the sequential test needs some variation in at least one arm; both arms are constant");
        }
        double logLambda = 0.5 * Math.log(s2 / (s2 + tau2)) + tau2 * d * d / (2 * s2 * (s2 + tau2));
        double lambda = Math.exp(Math.min(logLambda, 700));
        double half = Math.sqrt(s2 * (s2 + tau2) / tau2 * (2 * Math.log(1 / alpha) + Math.log((s2 + tau2) / s2)));
        return new Look(d, lambda, Math.min(1, 1 / lambda), new Interval(d - half, d + half, 1 - alpha),
                logLambda >= Math.log(1 / alpha));
    }

    public double alpha() {
        return alpha;
    }

    /**
     * Keeps the always-valid p-value (the running minimum) and the running intersection of the confidence sequence
     * across looks. Not thread-safe.
     */
    public final class Monitor {
        private double pValue = 1;
        private double lower = Double.NEGATIVE_INFINITY;
        private double upper = Double.POSITIVE_INFINITY;
        private boolean rejected;

        /** Takes a look; once rejected, stays rejected. */
        public Look look(Sample a, Sample b) {
            Look l = SequentialTest.this.look(a, b);
            pValue = Math.min(pValue, l.pValue());
            lower = Math.max(lower, l.confidenceSequence().lower());
            upper = Math.min(upper, l.confidenceSequence().upper());
            rejected |= l.rejected();
            return l;
        }

        /** The always-valid p-value: the smallest per-look value so far. */
        public double pValue() {
            return pValue;
        }

        /** The intersection of all intervals so far (still valid at level 1 - alpha). */
        public Interval interval() {
            return new Interval(lower, upper, 1 - alpha);
        }

        public boolean rejected() {
            return rejected;
        }
    }

    public Monitor monitor() {
        return new Monitor();
    }
}
