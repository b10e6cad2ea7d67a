package io.keel.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The standard IR metrics BEIR reports, computed exactly as trec_eval does for binary and graded judgements. */
final class Metrics {
    private Metrics() {
    }

    /** nDCG@k with graded gains (rel), log2 discount. */
    static double ndcg(List<String> ranking, Map<String, Integer> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            int rel = relevant.getOrDefault(ranking.get(i), 0);
            if (rel > 0) dcg += rel / log2(i + 2);
        }
        int[] ideal = relevant.values().stream().mapToInt(Integer::intValue).filter(r -> r > 0).sorted().toArray();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[ideal.length - 1 - i] / log2(i + 2);
        return idcg == 0 ? 0 : dcg / idcg;
    }

    static double recall(List<String> ranking, Map<String, Integer> relevant, int k) {
        long wanted = relevant.values().stream().filter(r -> r > 0).count();
        if (wanted == 0) return 0;
        long found = ranking.stream().limit(k).filter(d -> relevant.getOrDefault(d, 0) > 0).count();
        return (double) found / wanted;
    }

    /** Nearest-rank percentile of a sample, p in (0, 100]. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
