package io.keel.embed.onnx;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keel.embed.onnx.OnnxEmbedderTest.cosine;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code embedding.model: bge-small-en-v1.5-q}: [CLS] pooling, a 512-token window, and the retrieval instruction on queries. */
class BgeSmallEmbedderTest {
    private static final String INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    private static OnnxEmbedder bge;

    @BeforeAll
    static void load() {
        bge = new OnnxEmbedder(new OnnxEmbedderConfig(OnnxEmbedderConfig.BGE_SMALL_QUANTIZED, 8, 1, 1, 100, 4));
    }

    @AfterAll
    static void close() {
        bge.close();
    }

    @Test
    void describesTheModelItRuns() {
        assertThat(bge.info().id()).isEqualTo("bge-small-en-v1.5-q");
        assertThat(bge.info().dimensions()).isEqualTo(384);
        assertThat(bge.info().maxTokens()).isEqualTo(512);
        assertThat(bge.info().checksum()).hasSize(64);
        assertThat(bge.tokenCounter().maxTokens()).isEqualTo(512);
        assertThat(bge.config().quantized()).isTrue();
        assertThat(bge.config().miniLm()).isFalse();
    }

    @Test
    void onlyMiniLmGivesTheVectorsTheGuardWasFittedTo() {
        assertThat(OnnxEmbedder.fitsGuard(bge)).isFalse();
        try (OnnxEmbedder minilm = OnnxEmbedder.createDefault()) {
            assertThat(OnnxEmbedder.fitsGuard(minilm)).isTrue();
        }
        assertThat(OnnxEmbedder.fitsGuard(null)).isFalse();
    }

    @Test
    void queriesCarryTheRetrievalInstructionAndDocumentsDoNot() {
        String question = "How long are customer records kept after the contract ends?";
        float[] query = bge.embedQuery(question);
        List<float[]> documents = bge.embedAll(List.of(question, INSTRUCTION + question));
        // bit for bit: the int8 model runs one text per run, queries and documents alike
        assertThat(query).containsExactly(documents.get(1));
        assertThat(cosine(query, documents.get(0))).isLessThan(0.9999);
    }

    @Test
    void aQuestionFindsThePassageThatAnswersIt() {
        List<String> passages = List.of(
                "Paris is the capital and most populous city of France.",
                "Berlin is the capital and largest city of Germany.",
                "France shares borders with Spain, Italy, Germany and Belgium.",
                "The Eiffel Tower was completed in 1889 for the World's Fair.");
        List<float[]> vectors = bge.embedAll(passages);
        float[] q = bge.embedQuery("What is the capital of France?");
        int best = 0;
        for (int i = 1; i < passages.size(); i++) if (cosine(q, vectors.get(i)) > cosine(q, vectors.get(best))) best = i;
        assertThat(passages.get(best)).startsWith("Paris");
        double norm = 0;
        for (float f : q) norm += f * f;
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void truncatesAtTheWindowOf512Tokens() {
        String sentence = "the quick brown fox jumps over the lazy dog ";   // 9 tokens
        String longText = sentence.repeat(80);                               // 720 + 2
        String prefix = sentence.repeat(56) + "the quick brown fox jumps over";   // 504 + 6 = 510 word pieces
        assertThat(bge.tokenCounter().countTokens(prefix)).isEqualTo(512);
        assertThat(bge.tokenCounter().countTokens(longText)).isGreaterThan(512);
        List<float[]> v = bge.embedAll(List.of(longText, prefix, sentence.repeat(40)));
        assertThat(v.get(0)).containsExactly(v.get(1));
        assertThat(cosine(v.get(0), v.get(2))).isLessThan(0.99999);
    }
}
