package io.keel.experiments.stats;

import io.keel.core.error.KeelException;

/**
 * What the tests need to know about one arm's metric: how many observations, their mean and their (unbiased) sample
 * variance. Reports keep these aggregates rather than the raw observations.
 *
 * @param n        number of observations, at least 2 for any test
 * @param mean     sample mean
 * @param variance unbiased sample variance (divisor {@code n - 1}), never negative
 */
public record Sample(long n, double mean, double variance) {
    public Sample {
        if (n < 0) throw KeelException.invalid("a sample's size must not be negative; got " + n);
        if (!Double.isFinite(mean)) throw KeelException.invalid("a sample's mean must be a finite number; got " + mean);
        if (!(variance >= 0) || !Double.isFinite(variance)) {
            throw KeelException.invalid("a sample's variance must be a finite number >= 0; got " + variance);
        }
    }

    /** The summary of {@code values}. */
    public static Sample of(double... values) {
        Accumulator a = new Accumulator();
        for (double v : values) a.add(v);
        return a.sample();
    }

    /** A proportion as a sample of 0/1 outcomes: {@code successes} ones out of {@code n}. */
    public static Sample ofProportion(long successes, long n) {
        if (successes < 0 || successes > n) {
            throw KeelException.invalid("successes must be between 0 and n (" + n + "); got " + successes);
        }
        if (n < 2) return new Sample(n, n == 0 ? 0 : successes, 0);
        double p = (double) successes / n;
        return new Sample(n, p, p * (1 - p) * n / (n - 1));
    }

    /** Variance of the mean: {@code variance / n}. */
    public double varianceOfMean() {
        return variance / n;
    }

    void requireAtLeast(long min, String what) {
        if (n < min) throw KeelException.invalid(what + " needs at least " + min + " observations per arm; got " + n);
    }

    /**
     * The summary of {@code n} observations from their running sums: {@code shift} (any one of them, or their mean)
     * and the sums of {@code x - shift} and {@code (x - shift)^2}. The mean is {@code (shift * n + sumDx) / n}, exact
     * for whole numbers (token counts, 0/1 outcomes); the variance {@code (sumDx2 - sumDx^2 / n) / (n - 1)}, clamped at
     * zero against rounding.
     */
    public static Sample ofSums(long n, double shift, double sumDx, double sumDx2) {
        if (n < 0) throw KeelException.invalid("a sample's size must not be negative; got " + n);
        if (n == 0) return new Sample(0, 0, 0);
        double mean = (shift * n + sumDx) / n;
        double variance = n < 2 ? 0 : Math.max(0, (sumDx2 - sumDx * sumDx / n) / (n - 1));
        return new Sample(n, mean, variance);
    }

    /**
     * Streaming mean and variance from shifted sums (the first value is the shift): one pass, constant memory, and
     * the same arithmetic, step for step, as the sums the SQL request log keeps per experiment, so a report computed
     * from those sums equals one computed from the records. Not thread-safe.
     */
    public static final class Accumulator {
        private long n;
        private double shift;
        private double sumDx;
        private double sumDx2;

        public void add(double x) {
            if (!Double.isFinite(x)) throw KeelException.invalid("an observation must be a finite number; got " + x);
            if (n == 0) shift = x;
            n++;
            double d = x - shift;
            sumDx += d;
            sumDx2 += d * d;
        }

        public long n() {
            return n;
        }

        public Sample sample() {
            return ofSums(n, shift, sumDx, sumDx2);
        }
    }
}
