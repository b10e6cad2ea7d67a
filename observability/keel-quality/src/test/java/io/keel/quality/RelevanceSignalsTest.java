package io.keel.quality;

import io.keel.core.query.RetrievalMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RelevanceSignalsTest {
    private final QualityConfig config = QualityConfig.defaults();

    @Test
    void denseScoresAreCosinesSoWeakHitsComeFromTheScore() {
        var hits = Fixtures.hits(List.of("a", "b", "c", "d"), 0.80f, 0.60f, 0.29f, 0.10f);
        RelevanceSignals r = RelevanceSignals.of(hits, RetrievalMode.DENSE, "anything", config);
        assertThat(r.topScore()).isCloseTo(0.80, within(1e-6));
        assertThat(r.scoreMargin()).isCloseTo(0.25, within(1e-6)); // (0.8 - 0.6) / 0.8
        assertThat(r.weakHitShare()).isEqualTo(0.5);               // 0.29 and 0.10 are below 0.30
    }

    @Test
    void marginUsesTheTwoBestScoresWhateverTheOrder() {
        var hits = Fixtures.hits(List.of("a", "b", "c"), 0.5f, 0.9f, 0.45f);
        RelevanceSignals r = RelevanceSignals.of(hits, RetrievalMode.DENSE, "q", config);
        assertThat(r.topScore()).isCloseTo(0.9, within(1e-6));
        assertThat(r.scoreMargin()).isCloseTo(0.4 / 0.9, within(1e-6));
        assertThat(r.weakHitShare()).isZero();
    }

    @Test
    void singleHitHasNoMarginAndNoHitsHaveNothing() {
        RelevanceSignals one = RelevanceSignals.of(Fixtures.hits(List.of("a"), 0.7f), RetrievalMode.DENSE, "q", config);
        assertThat(one.topScore()).isCloseTo(0.7, within(1e-6));
        assertThat(one.scoreMargin()).isNull();
        assertThat(RelevanceSignals.of(List.of(), RetrievalMode.DENSE, "q", config)).isEqualTo(RelevanceSignals.NONE);
    }

    @Test
    void hybridAndBm25FallBackToQuestionTermCoverage() {
        // question content terms after stopwords and stemming: rotat, api, key
        var hits = Fixtures.hits(List.of(
                "API keys are rotated from the admin console.",          // 3/3
                "Keys to the office are kept at the front desk.",        // 1/3: not weak at 0.25
                "The request log records every answer."), 0.033f, 0.031f, 0.016f); // 0/3: weak
        RelevanceSignals hybrid = RelevanceSignals.of(hits, RetrievalMode.HYBRID, "How do I rotate an API key?", config);
        assertThat(hybrid.topScore()).isCloseTo(0.033, within(1e-6)); // raw fused score, its own scale
        assertThat(hybrid.weakHitShare()).isCloseTo(1 / 3.0, within(1e-9));
        RelevanceSignals bm25 = RelevanceSignals.of(hits, RetrievalMode.BM25, "How do I rotate an API key?", config);
        assertThat(bm25.weakHitShare()).isEqualTo(hybrid.weakHitShare());
    }

    @Test
    void questionWithoutContentWordsHasNoLexicalWeakHitShare() {
        var hits = Fixtures.hits(List.of("text"), 3.2f);
        assertThat(RelevanceSignals.of(hits, RetrievalMode.BM25, "what is it?", config).weakHitShare()).isNull();
    }

    @Test
    void nonPositiveTopScoreHasNoMargin() {
        var hits = Fixtures.hits(List.of("a", "b"), -0.1f, -0.2f);
        RelevanceSignals r = RelevanceSignals.of(hits, RetrievalMode.DENSE, "q", config);
        assertThat(r.scoreMargin()).isNull();
        assertThat(r.weakHitShare()).isEqualTo(1.0);
    }
}
