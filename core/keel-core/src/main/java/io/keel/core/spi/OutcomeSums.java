package io.keel.core.spi;

import java.util.Objects;

/**
 * The running sums of one outcome of one experiment's variant, kept by the store as requests and feedback are
 * written, so an experiment report costs the same at a hundred requests as at a million.
 *
 * <p>The observations are {@code x_1..x_n}; the store keeps {@code n}, a {@code shift} (one of the values, or their
 * mean when the sums were first built from stored rows) and the sums of {@code x_i - shift} and of its squares.
 * Then the mean is {@code shift + sumDx / n} and the unbiased variance {@code (sumDx2 - sumDx^2 / n) / (n - 1)}; the
 * shift keeps that subtraction accurate when the values sit far from zero.
 *
 * @param variant the experiment's own variant (its part of a stamp like {@code v2+bm25})
 * @param metric  the outcome's wire name: {@code cost_usd}, {@code tokens}, {@code error_rate},
 *                {@code guard_block_rate}, {@code latency_ms}, {@code latency_<stage>_ms}, {@code groundedness},
 *                {@code retrieval_relevance}, {@code feedback_score}, {@code thumbs_up_rate}
 * @param n       observations, at least 1
 */
public record OutcomeSums(String variant, String metric, long n, double shift, double sumDx, double sumDx2) {
    public OutcomeSums {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(metric, "metric");
    }
}
