package io.keel.quality;

import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;

import java.util.List;
import java.util.Set;

/**
 * Retrieval-relevance signals of one answer's hits: a pure function, no embedding.
 *
 * <ul>
 *   <li>{@code topScore}: the best hit's score, on the mode's own scale (cosine, BM25 or fused RRF).</li>
 *   <li>{@code scoreMargin}: {@code (top - second) / top}, clamped to [0, 1]; null with fewer than two hits or a
 *       non-positive top score.</li>
 *   <li>{@code weakHitShare}: share of hits judged weak. In dense mode the score is the cosine between question and
 *       chunk, so a hit is weak when it is below {@link QualityConfig#weakHitCosine()}. In bm25 and hybrid mode the
 *       score is not a cosine and the chunk vectors are not at hand (embedding every chunk again would cost more than
 *       all other signals together), so a hit is weak when it contains less than
 *       {@link QualityConfig#weakHitTermCoverage()} of the question's content words.</li>
 * </ul>
 *
 * @param topScore     null without hits
 * @param scoreMargin  null with fewer than two hits
 * @param weakHitShare null without hits, or when the question has no content word in lexical mode
 */
public record RelevanceSignals(Double topScore, Double scoreMargin, Double weakHitShare) {
    public static final RelevanceSignals NONE = new RelevanceSignals(null, null, null);

    /**
     * @param hits     the hits, best first (the pipeline passes the context the generator saw)
     * @param mode     the retrieval mode that produced their scores
     * @param question the question, for the lexical weak-hit test
     */
    public static RelevanceSignals of(List<SearchHit> hits, RetrievalMode mode, String question, QualityConfig config) {
        if (hits.isEmpty()) return NONE;
        double top = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (SearchHit h : hits) {
            double s = h.score();
            if (s > top) {
                second = top;
                top = s;
            } else if (s > second) {
                second = s;
            }
        }
        Double margin = hits.size() < 2 || top <= 0 ? null : Math.clamp((top - second) / top, 0.0, 1.0);
        return new RelevanceSignals(top, margin, weakShare(hits, mode, question, config));
    }

    private static Double weakShare(List<SearchHit> hits, RetrievalMode mode, String question, QualityConfig config) {
        int weak = 0;
        if (mode == RetrievalMode.DENSE) {
            for (SearchHit h : hits) if (h.score() < config.weakHitCosine()) weak++;
        } else {
            Set<String> q = Text.terms(question);
            if (q.isEmpty()) return null;
            for (SearchHit h : hits) if (Text.containment(q, Text.terms(h.text())) < config.weakHitTermCoverage()) weak++;
        }
        return (double) weak / hits.size();
    }
}
