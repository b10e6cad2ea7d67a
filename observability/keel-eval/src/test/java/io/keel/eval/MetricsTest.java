package io.keel.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    @Test
    void ndcgMatchesAHandComputedValue() {
        // relevant: a (1), c (1); ranking a, b, c -> DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3)
        double expected = 1.5 / (1 + 1 / (Math.log(3) / Math.log(2)));
        assertThat(Metrics.ndcg(List.of("a", "b", "c"), Map.of("a", 1, "c", 1), 10)).isCloseTo(expected, within(1e-12));
        assertThat(Metrics.ndcg(List.of("a", "c"), Map.of("a", 1, "c", 1), 10)).isEqualTo(1.0);
        assertThat(Metrics.ndcg(List.of("x", "y"), Map.of("a", 1), 10)).isZero();
    }

    @Test
    void ndcgIgnoresHitsBeyondK() {
        assertThat(Metrics.ndcg(List.of("x", "a"), Map.of("a", 1), 1)).isZero();
    }

    @Test
    void recallCountsRelevantDocumentsInTheTopK() {
        assertThat(Metrics.recall(List.of("a", "x", "b"), Map.of("a", 1, "b", 1, "c", 1), 2)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(Metrics.recall(List.of("a", "x", "b"), Map.of("a", 1, "b", 1, "c", 1), 3)).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void percentileIsNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertThat(Metrics.percentile(v, 50)).isEqualTo(3);
        assertThat(Metrics.percentile(v, 99)).isEqualTo(5);
        assertThat(Metrics.percentile(v, 20)).isEqualTo(1);
    }
}
