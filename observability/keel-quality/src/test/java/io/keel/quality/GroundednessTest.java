package io.keel.quality;

import io.keel.core.query.SearchHit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Real MiniLM model throughout: the point is whether the thresholds work with it. */
class GroundednessTest {
    private static final String UNRELATED = "The Eiffel Tower was completed in 1889 for the World's Fair in Paris.";
    private static final String PARAPHRASE = "After you rotate a key, the old one keeps working for a whole day, giving "
            + "clients time to move to the new one.";

    private static Groundedness groundedness;
    private final List<SearchHit> context = Fixtures.context();

    @BeforeAll
    static void start() {
        groundedness = new Groundedness(Fixtures.embedder(), QualityConfig.defaults());
    }

    private Groundedness fresh() {
        return new Groundedness(Fixtures.embedder(), QualityConfig.defaults());
    }

    @Test
    void sentencesCopiedFromTheContextAreSupportedWithoutEmbedding() {
        String extractive = "A rotated key stays valid for twenty-four hours so that running clients can switch over. [1] "
                + "Revoked keys stop working immediately. [1] Records are kept for ninety days by default. [2]";
        Groundedness.Result r = fresh().assess(extractive, context);
        assertThat(r.sentences()).isEqualTo(3);
        assertThat(r.groundedness()).isEqualTo(1.0);
        assertThat(r.viaVerbatim()).isEqualTo(3);
        assertThat(r.embedded()).isZero();
    }

    @Test
    void lightlyEditedCopyIsSupportedByOverlap() {
        Groundedness.Result r = fresh().assess("Revoked API keys stop working right away.", context);
        assertThat(r.groundedness()).isEqualTo(1.0);
        assertThat(r.viaOverlap()).isEqualTo(1);
        assertThat(r.embedded()).isZero();
    }

    @Test
    void paraphraseIsSupportedByEmbeddingSimilarity() {
        Groundedness.Result r = fresh().assess(PARAPHRASE, context);
        assertThat(r.sentences()).isEqualTo(1);
        assertThat(r.groundedness()).isEqualTo(1.0);
        assertThat(r.viaEmbedding()).isEqualTo(1);
        assertThat(r.embedded()).isGreaterThan(1);
    }

    @Test
    void secondParaphraseWithLittleWordOverlapIsSupported() {
        Groundedness.Result r = fresh().assess("Each request's question, answer, sources and latency end up in the request log.", context);
        assertThat(r.groundedness()).isEqualTo(1.0);
    }

    @Test
    void unrelatedClaimIsNotSupported() {
        Groundedness.Result r = groundedness.assess(UNRELATED, context);
        assertThat(r.sentences()).isEqualTo(1);
        assertThat(r.groundedness()).isZero();
    }

    @Test
    void topicalButUnsupportedClaimIsNotSupported() {
        // same vocabulary as the context (keys, admin console), a claim the context does not make
        Groundedness.Result r = groundedness.assess("Customers can order a replacement hardware token by phone from the sales team.", context);
        assertThat(r.groundedness()).isZero();
    }

    @Test
    void mixedAnswerIsPartlyGrounded() {
        String answer = "Revoked keys stop working immediately [1]. " + PARAPHRASE + " " + UNRELATED
                + " The Great Wall of China is visible from low orbit with the naked eye.";
        Groundedness.Result r = groundedness.assess(answer, context);
        assertThat(r.sentences()).isEqualTo(4);
        assertThat(r.supported()).isEqualTo(2);
        assertThat(r.groundedness()).isEqualTo(0.5);
    }

    @Test
    void sentencesWithoutClaimsAreNotCounted() {
        Groundedness.Result r = groundedness.assess("Sure! Revoked keys stop working immediately. Thanks!", context);
        assertThat(r.sentences()).isEqualTo(1);
        assertThat(r.groundedness()).isEqualTo(1.0);
        assertThat(groundedness.assess("Sure! Thanks.", context).groundedness()).isNull();
    }

    @Test
    void noContextOrNoAnswerGivesNothing() {
        assertThat(groundedness.assess("Revoked keys stop working immediately.", List.of())).isEqualTo(Groundedness.Result.EMPTY);
        assertThat(groundedness.assess("  ", context)).isEqualTo(Groundedness.Result.EMPTY);
        assertThat(Groundedness.Result.EMPTY.groundedness()).isNull();
    }

    @Test
    void contextSentencesAreCachedBetweenAnswers() {
        Groundedness g = fresh();
        int first = g.assess(PARAPHRASE, context).embedded();
        int second = g.assess("Hybrid search combines dense vectors and keyword ranking through rank fusion.", context).embedded();
        assertThat(first).isGreaterThan(10); // the answer sentence and every context sentence
        assertThat(second).isEqualTo(1);     // only the new answer sentence
    }

    /** Prints the measured cost (see docs/quality.md); asserts only loose bounds so a busy machine does not fail it. */
    @Test
    void costPerAnswer() {
        String extractive = "A rotated key stays valid for twenty-four hours so that running clients can switch over. [1] "
                + "Revoked keys stop working immediately. [1] Records are kept for ninety days by default. [2]";
        String model = PARAPHRASE + " Hybrid search combines dense vectors and keyword ranking through rank fusion. "
                + "Each request's question, answer, sources and latency end up in the request log.";
        for (int warm = 0; warm < 3; warm++) fresh().assess(model, context);
        double ex = median(() -> groundedness.assess(extractive, context), 51);
        double cold = median(() -> fresh().assess(model, context), 21);
        Groundedness g = fresh();
        g.assess(model, context);
        double warmCache = median(() -> g.assess(model, context), 21);
        var embedder = Fixtures.embedder();
        int[] n = {0};
        double question = median(() -> embedder.embedQuery("uncached question number " + n[0]++ + " about key rotation"), 21);
        System.out.printf(Locale.ROOT, "cost (median): extractive answer %.3f ms; model answer (3 paraphrased sentences, 5 chunks, "
                        + "%d context sentences) cold cache %.1f ms, warm cache %.1f ms; uncached question embedding %.1f ms; load %.1f%n",
                ex, fresh().assess(model, context).embedded() - 3, cold, warmCache, question,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertThat(ex).isLessThan(5);
    }

    private static double median(Runnable r, int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[n / 2];
    }
}
