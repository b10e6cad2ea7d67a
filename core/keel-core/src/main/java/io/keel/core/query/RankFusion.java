package io.keel.core.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Weighted reciprocal rank fusion, the hybrid ranking every index backend applies: an item scores
 * {@code sum(weight_i / (k + rank_i))} over the lists it appears in, ranks counted from 1. With equal weights this is
 * Lucene's {@code TopDocs.rrf}; that helper takes no weights, so the few lines are written here, once for all backends.
 *
 * @since 0.1
 */
public final class RankFusion {
    /** One fused item with its fused score. */
    public record Fused<T>(T item, float score) {
    }

    private RankFusion() {
    }

    /**
     * Fuses ranked lists of item keys (equal keys are the same item).
     *
     * @param lists    each list best first
     * @param weights  one weight per list; a list of weight 0 is ignored
     * @param k        the rank constant (60 in the RRF paper)
     * @param topK     how many fused items to return
     * @param tieBreak orders items of equal fused score
     * @return at most {@code topK} items, best first, with their fused scores
     */
    public static <T> List<Fused<T>> fuse(List<? extends List<T>> lists, float[] weights, int k, int topK,
                                          Comparator<? super T> tieBreak) {
        Objects.requireNonNull(tieBreak, "tieBreak");
        if (lists.size() != weights.length) throw new IllegalArgumentException("one weight per list");
        Map<T, Float> scores = new HashMap<>();
        for (int l = 0; l < lists.size(); l++) {
            List<T> list = lists.get(l);
            if (weights[l] == 0) continue;
            for (int rank = 0; rank < list.size(); rank++) {
                scores.merge(list.get(rank), weights[l] / (k + rank + 1), Float::sum);
            }
        }
        List<Fused<T>> fused = new ArrayList<>(scores.size());
        scores.forEach((item, score) -> fused.add(new Fused<>(item, score)));
        fused.sort(Comparator.comparingDouble((Fused<T> f) -> -f.score()).thenComparing(Fused::item, tieBreak));
        return fused.size() > topK ? List.copyOf(fused.subList(0, topK)) : fused;
    }
}
