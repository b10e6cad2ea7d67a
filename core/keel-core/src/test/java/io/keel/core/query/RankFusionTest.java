package io.keel.core.query;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class RankFusionTest {
    private static List<RankFusion.Fused<Integer>> fuse(List<List<Integer>> lists, float[] weights, int topK) {
        return RankFusion.fuse(lists, weights, 60, topK, Comparator.naturalOrder());
    }

    @Test
    void sumsWeightedReciprocalRanks() {
        var fused = fuse(List.of(List.of(7, 3, 5), List.of(3, 9)), new float[] {1f, 1f}, 10);
        assertThat(fused).extracting(RankFusion.Fused::item).containsExactly(3, 7, 9, 5);
        assertThat(fused.get(0).score()).isCloseTo(1f / 62 + 1f / 61, offset(1e-7f));
        assertThat(fused.get(1).score()).isCloseTo(1f / 61, offset(1e-7f));
        assertThat(fused.get(3).score()).isCloseTo(1f / 63, offset(1e-7f));
    }

    @Test
    void weightsScaleEachList() {
        var fused = fuse(List.of(List.of(1), List.of(2)), new float[] {1f, 2f}, 10);
        assertThat(fused).extracting(RankFusion.Fused::item).containsExactly(2, 1);
        assertThat(fused.get(0).score()).isCloseTo(2f / 61, offset(1e-7f));
    }

    @Test
    void aZeroWeightIgnoresTheListAndTopKCuts() {
        assertThat(fuse(List.of(List.of(1, 2, 3), List.of(4)), new float[] {1f, 0f}, 2))
                .extracting(RankFusion.Fused::item).containsExactly(1, 2);
    }

    @Test
    void tiesFollowTheTieBreak() {
        assertThat(fuse(List.of(List.of(8), List.of(4)), new float[] {1f, 1f}, 10))
                .extracting(RankFusion.Fused::item).containsExactly(4, 8);
        assertThat(RankFusion.fuse(List.of(List.of(4), List.of(8)), new float[] {1f, 1f}, 60, 10, Comparator.<Integer>reverseOrder()))
                .extracting(RankFusion.Fused::item).containsExactly(8, 4);
    }
}
