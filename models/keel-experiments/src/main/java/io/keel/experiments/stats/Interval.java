package io.keel.experiments.stats;

/**
 * A two-sided confidence interval.
 *
 * @param lower      lower bound
 * @param upper      upper bound
 * @param confidence its nominal coverage, e.g. 0.95
 */
public record Interval(double lower, double upper, double confidence) {
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    /** True when the interval lies entirely on one side of zero. */
    public boolean excludesZero() {
        return lower > 0 || upper < 0;
    }

    public double width() {
        return upper - lower;
    }
}
