package io.keel.index.lucene;

import org.apache.lucene.search.ScoreDoc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal rank fusion: a document scores {@code sum(weight_i / (k + rank_i))} over the lists it appears
 * in, ranks counted from 1. With equal weights this is Lucene's {@code TopDocs.rrf}; that helper takes no weights,
 * so the few lines are written here.
 */
final class RankFusion {
    private RankFusion() {
    }

    /**
     * Fuses ranked lists of doc ids from one searcher.
     *
     * @param lists   each list best first
     * @param weights one weight per list
     * @return at most {@code topK} docs, best first, with their fused scores; ties go to the lower doc id
     */
    static List<ScoreDoc> fuse(List<ScoreDoc[]> lists, float[] weights, int k, int topK) {
        if (lists.size() != weights.length) throw new IllegalArgumentException("one weight per list");
        Map<Integer, Float> scores = new HashMap<>();
        for (int l = 0; l < lists.size(); l++) {
            ScoreDoc[] list = lists.get(l);
            if (weights[l] == 0) continue;
            for (int rank = 0; rank < list.length; rank++) {
                scores.merge(list[rank].doc, weights[l] / (k + rank + 1), Float::sum);
            }
        }
        List<ScoreDoc> fused = new ArrayList<>(scores.size());
        scores.forEach((doc, score) -> fused.add(new ScoreDoc(doc, score)));
        fused.sort(Comparator.comparingDouble((ScoreDoc d) -> -d.score).thenComparingInt(d -> d.doc));
        return fused.size() > topK ? fused.subList(0, topK) : fused;
    }
}
