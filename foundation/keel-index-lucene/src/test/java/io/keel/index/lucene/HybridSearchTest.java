package io.keel.index.lucene;

import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.keel.index.lucene.Fixtures.axis;
import static io.keel.index.lucene.Fixtures.chunk;
import static io.keel.index.lucene.Fixtures.doc;
import static io.keel.index.lucene.Fixtures.near;
import static io.keel.index.lucene.Fixtures.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Hybrid retrieval fuses the dense and BM25 candidate lists. "lexical" matches the query's rare word but points
 * away from the query vector; "semantic" is the query vector but shares no word with it.
 */
class HybridSearchTest {
    private static final String QUERY = "zymurgy fermentation";

    @TempDir
    Path dataDir;
    private LuceneIndexStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private LuceneCollectionIndex corpus(LuceneIndexConfig config) {
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, config);
        LuceneCollectionIndex index = store.collection("hybrid", true);
        Random random = new Random(3);
        float[] away = {-1, 0, 0, 0, 0, 0, 0, 0};
        put(index, doc("lexical").build(), "A primer on zymurgy for home brewers", away);
        put(index, doc("semantic").build(), "How yeast turns sugar into alcohol", axis(0));
        for (int i = 0; i < 60; i++) {
            String text = i < 2 ? "notes on fermentation batch " + i : "unrelated maintenance log entry " + i;
            put(index, doc("filler-" + i).build(), text, near(0, 0.6 + random.nextDouble(), random));
        }
        index.commit();
        return index;
    }

    private static LuceneIndexConfig narrow() {
        return new LuceneIndexConfig(LuceneIndexConfig.Quantization.NONE, 16, 100, 10, 10, 0.9f, 0.4f, 60, 1f, 1f, 16,
                1, java.time.Duration.ZERO);
    }

    @Test
    void hybridReturnsWhatOnlyOneOfTheRetrieversFinds() {
        LuceneCollectionIndex index = corpus(narrow());
        List<String> dense = ids(index.search(query(RetrievalMode.DENSE, 10), axis(0)));
        List<String> bm25 = ids(index.search(query(RetrievalMode.BM25, 10), axis(0)));
        assertThat(dense).contains("semantic").doesNotContain("lexical");
        assertThat(bm25).contains("lexical").doesNotContain("semantic");

        List<SearchHit> hybrid = index.search(query(RetrievalMode.HYBRID, 5), axis(0));
        assertThat(ids(hybrid)).hasSize(5).contains("lexical", "semantic");
        SearchHit semantic = hybrid.stream().filter(h -> h.documentId().equals("semantic")).findFirst().orElseThrow();
        assertThat(semantic.score()).as("rank 1 in dense only: 1 / (60 + 1)").isCloseTo(1f / 61, offset(1e-6f));
        for (int i = 1; i < hybrid.size(); i++) {
            assertThat(hybrid.get(i).score()).isLessThanOrEqualTo(hybrid.get(i - 1).score());
        }
    }

    @Test
    void weightsSteerTheFusion() {
        LuceneCollectionIndex index = corpus(narrow().withHybridWeights(1f, 0f));
        List<String> hybrid = ids(index.search(query(RetrievalMode.HYBRID, 10), axis(0)));
        List<String> dense = ids(index.search(query(RetrievalMode.DENSE, 10), axis(0)));
        assertThat(hybrid).isEqualTo(dense).doesNotContain("lexical");
    }

    @Test
    void bm25SeesTitleAndHeadingsAndStems() {
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG);
        LuceneCollectionIndex index = store.collection("text", true);
        index.upsert(doc("titled").title("Mitochondrial biogenesis").build(),
                List.of(chunk("titled", 0, "The body of the paper.", "Results")), List.of(axis(0)));
        index.upsert(doc("other").title("Other").build(),
                List.of(chunk("other", 0, "Proteins were measured.", "Methods")), List.of(axis(1)));
        index.commit();

        assertThat(ids(index.search(new Query("mitochondrial", 5, RetrievalMode.BM25, Filters.NONE, "text"), null)))
                .as("title").containsExactly("titled");
        assertThat(ids(index.search(new Query("result", 5, RetrievalMode.BM25, Filters.NONE, "text"), null)))
                .as("heading path").containsExactly("titled");
        assertThat(ids(index.search(new Query("protein measurements", 5, RetrievalMode.BM25, Filters.NONE, "text"), null)))
                .as("stemmed").containsExactly("other");
        assertThat(index.search(new Query("the of and", 5, RetrievalMode.BM25, Filters.NONE, "text"), null))
                .as("stop words only").isEmpty();
    }

    private static Query query(RetrievalMode mode, int topK) {
        return new Query(QUERY, topK, mode, Filters.NONE, "hybrid");
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::documentId).toList();
    }
}
