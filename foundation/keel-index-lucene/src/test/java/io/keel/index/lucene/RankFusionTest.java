package io.keel.index.lucene;

import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class RankFusionTest {
    private static ScoreDoc[] ranked(int... docs) {
        ScoreDoc[] out = new ScoreDoc[docs.length];
        for (int i = 0; i < docs.length; i++) out[i] = new ScoreDoc(docs[i], 100 - i);
        return out;
    }

    @Test
    void sumsWeightedReciprocalRanks() {
        List<ScoreDoc> fused = RankFusion.fuse(List.of(ranked(7, 3, 5), ranked(3, 9)), new float[] {1f, 1f}, 60, 10);
        assertThat(fused).extracting(d -> d.doc).containsExactly(3, 7, 9, 5);
        assertThat(fused.get(0).score).isCloseTo(1f / 62 + 1f / 61, offset(1e-7f));
        assertThat(fused.get(1).score).isCloseTo(1f / 61, offset(1e-7f));
        assertThat(fused.get(3).score).isCloseTo(1f / 63, offset(1e-7f));
    }

    @Test
    void weightsScaleEachList() {
        List<ScoreDoc> fused = RankFusion.fuse(List.of(ranked(1), ranked(2)), new float[] {1f, 2f}, 60, 10);
        assertThat(fused).extracting(d -> d.doc).containsExactly(2, 1);
        assertThat(fused.get(0).score).isCloseTo(2f / 61, offset(1e-7f));
    }

    @Test
    void aZeroWeightIgnoresTheListAndTopKCuts() {
        assertThat(RankFusion.fuse(List.of(ranked(1, 2, 3), ranked(4)), new float[] {1f, 0f}, 60, 2))
                .extracting(d -> d.doc).containsExactly(1, 2);
    }

    @Test
    void tiesGoToTheLowerDocId() {
        assertThat(RankFusion.fuse(List.of(ranked(8), ranked(4)), new float[] {1f, 1f}, 60, 10))
                .extracting(d -> d.doc).containsExactly(4, 8);
    }
}
