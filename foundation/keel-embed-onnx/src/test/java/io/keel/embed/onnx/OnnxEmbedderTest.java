package io.keel.embed.onnx;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxEmbedderTest {
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.createDefault();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void describesTheModelItRuns() {
        assertThat(embedder.info().id()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(embedder.info().dimensions()).isEqualTo(384);
        assertThat(embedder.info().maxTokens()).isEqualTo(128);
        assertThat(embedder.info().checksum()).hasSize(64);
    }

    @Test
    void vectorsAreUnitLengthAndCaptureMeaning() {
        float[] cat = embedder.embedQuery("A cat sits on the mat.");
        float[] kitten = embedder.embedQuery("A kitten is resting on a rug.");
        float[] finance = embedder.embedQuery("Quarterly revenue grew by eight percent.");

        assertThat(cat).hasSize(384);
        assertThat(cosine(cat, cat)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        double norm = 0;
        for (float f : cat) norm += f * f;
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(cosine(cat, kitten)).isGreaterThan(cosine(cat, finance) + 0.3);
    }

    @Test
    void documentBatchesGiveTheSameVectorsAsSingleQueriesInInputOrder() {
        List<String> texts = List.of("short", "a somewhat longer sentence about retrieval augmented generation",
                "medium length text here", "x", "tiny", "a somewhat longer sentence about retrieval augmented evaluation");
        List<float[]> batch = embedder.embedAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            // Bit-for-bit: the int8 model runs documents one at a time, exactly as it runs queries.
            assertThat(batch.get(i)).as(texts.get(i)).containsExactly(embedder.embedQuery(texts.get(i)));
        }
    }

    @Test
    void theFloat32ModelCanBeChosenAndAgreesWithTheInt8One() {
        try (OnnxEmbedder fp32 = new OnnxEmbedder(new OnnxEmbedderConfig(OnnxEmbedderConfig.MINILM, 8, 1, 1, 0, 4))) {
            assertThat(fp32.info().id()).isEqualTo("all-minilm-l6-v2");
            assertThat(fp32.info().checksum()).isNotEqualTo(embedder.info().checksum());
            String text = "Vitamin D deficiency is associated with an increased risk of fractures.";
            assertThat(cosine(fp32.embedQuery(text), embedder.embedQuery(text))).isGreaterThan(0.95);
            List<String> texts = List.of("first text of five words", "second text of five words", "a much longer third text in the batch");
            List<float[]> batched = fp32.embedAll(texts);
            for (int i = 0; i < texts.size(); i++) assertThat(cosine(batched.get(i), fp32.embedQuery(texts.get(i)))).isGreaterThan(0.9999);
        }
    }

    @Test
    void countsTokensWithTheModelsTokenizerAndTruncatesAtItsWindow() {
        assertThat(embedder.tokenCounter().countTokens("hello world")).isEqualTo(4); // [CLS] hello world [SEP]
        String longText = "the quick brown fox jumps over the lazy dog ".repeat(40);
        assertThat(embedder.tokenCounter().countTokens(longText)).isGreaterThan(128);
        // Beyond the window the model sees nothing more: the embedding equals that of the first 126 word pieces.
        String prefix = "the quick brown fox jumps over the lazy dog ".repeat(14); // 126 tokens
        assertThat(embedder.tokenCounter().countTokens(prefix)).isEqualTo(128);
        assertThat(cosine(embedder.embedQuery(longText), embedder.embedQuery(prefix))).isGreaterThan(0.9999);
    }

    @Test
    void concurrentQueriesAreAnsweredCorrectly() throws Exception {
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < 24; i++) questions.add("question number " + i + " about topic " + (i % 5));
        List<float[]> expected = embedder.embedAll(questions);
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<float[]>> futures = new ArrayList<>();
            for (String q : questions) futures.add(pool.submit(() -> embedder.embedQuery(q)));
            for (int i = 0; i < questions.size(); i++) {
                assertThat(futures.get(i).get()).containsExactly(expected.get(i));
            }
        }
    }

    @Test
    void callersAskingForTheSameNewQueryAtOnceShareOneComputation() throws Exception {
        // the guard's detectors embed a new question on their own threads at the same moment
        for (int round = 0; round < 5; round++) {
            String q = "a question nobody asked before, round " + round + ", about parking rules and invoices";
            long misses = embedder.queryCacheMisses();
            long hits = embedder.queryCacheHits();
            var start = new java.util.concurrent.CyclicBarrier(6);
            try (var pool = Executors.newFixedThreadPool(6)) {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return embedder.embedQuery(q);
                    }));
                }
                float[] first = futures.get(0).get();
                for (Future<float[]> f : futures) assertThat(f.get()).containsExactly(first);
            }
            assertThat(embedder.queryCacheMisses() - misses).as("model runs for one text").isEqualTo(1);
            assertThat(embedder.queryCacheHits() - hits).isEqualTo(5);
        }
    }

    @Test
    void rejectsAnUnknownModelName() {
        assertThatThrownBy(() -> new OnnxEmbedderConfig("bert-large", 32, 1, 1, 10, 1))
                .hasMessageContaining("embedding.model must be one of all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5-q; got 'bert-large'");
    }

    @Test
    void documentBatchesYieldToQueriesDuringABulkEmbedding() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) texts.add("Bulk document number " + i + " about shipping, invoices and warehouses.");
        long before = embedder.documentBatchesYielded();
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<List<float[]>> bulk = pool.submit(() -> embedder.embedAll(texts));
            int queries = 0;
            while (!bulk.isDone() && queries < 200) {
                assertThat(embedder.embedQuery("fresh question " + queries++ + " about invoices")).hasSize(384);
            }
            assertThat(bulk.get()).hasSize(400);
            assertThat(queries).isPositive();
        } finally {
            pool.shutdown();
        }
        assertThat(embedder.documentBatchesYielded()).isGreaterThan(before);
    }
}
