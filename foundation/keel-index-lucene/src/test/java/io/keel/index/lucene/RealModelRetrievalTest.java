package io.keel.index.lucene;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.IndexInfo;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.embed.onnx.OnnxEmbedderConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retrieval on vectors from the real all-MiniLM-L6-v2 model (and its int8 build, for reindexing). */
class RealModelRetrievalTest {
    private static final String[][] CORPUS = {
            {"photosynthesis", "Photosynthesis", "research",
                    "Plants convert sunlight, water and carbon dioxide into glucose and oxygen inside their chloroplasts."},
            {"xz-backdoor", "Supply-chain incident CVE-2024-3094", "security",
                    "A malicious maintainer hid a backdoor in the release tarballs of a compression library used by sshd."},
            {"volcano", "Volcanic eruptions", "research",
                    "Magma rises through the crust, and when pressure builds the volcano erupts lava, ash and gases."},
            {"sourdough", "Baking bread", "kitchen",
                    "A sourdough starter is a culture of wild yeast and lactic acid bacteria kept alive with flour and water."},
            {"vaccines", "Immunology", "research",
                    "Vaccines train the adaptive immune system to recognise a pathogen, so that antibodies form before infection."},
            {"tides", "Ocean tides", "research",
                    "The gravitational pull of the moon and the sun raises the sea twice a day along most coastlines."},
            {"raft", "Distributed consensus", "engineering",
                    "Raft elects a leader that replicates a log to followers; a write commits once a majority stores it."},
            {"espresso", "Coffee", "kitchen",
                    "Espresso forces hot water through finely ground coffee at about nine bars of pressure."},
    };

    private static OnnxEmbedder embedder;
    private static OnnxEmbedder quantized;

    @TempDir
    static Path dataDir;
    private static LuceneIndexStore store;
    private static LuceneCollectionIndex index;

    @BeforeAll
    static void build() {
        embedder = new OnnxEmbedder(new OnnxEmbedderConfig(OnnxEmbedderConfig.MINILM, 16, 1, 1, 100, 1));
        store = new LuceneIndexStore(dataDir, embedder.info(), LuceneIndexConfig.DEFAULTS);
        index = store.collection("science", true);
        ingest(index, embedder);
        index.commit();
    }

    @AfterAll
    static void close() {
        store.close();
        embedder.close();
        if (quantized != null) quantized.close();
    }

    private static void ingest(LuceneCollectionIndex target, Embedder model) {
        for (String[] row : CORPUS) {
            Document doc = Fixtures.doc(row[0]).title(row[1]).tenant(row[2]).build();
            Chunk chunk = Fixtures.chunk(row[0], 0, row[3]);
            target.upsert(doc, List.of(chunk), model.embedAll(List.of(chunk.embeddingText(doc.title()))));
        }
    }

    private static List<String> search(LuceneCollectionIndex in, Embedder model, String text, RetrievalMode mode,
                                       Map<String, List<String>> filters) {
        Query q = new Query(text, 3, mode, Filters.of(filters), in.name());
        return in.search(q, model.embedQuery(text)).stream().map(SearchHit::documentId).toList();
    }

    @ParameterizedTest
    @EnumSource(value = RetrievalMode.class, names = {"DENSE", "HYBRID"})
    void aParaphraseWithoutSharedWordsFindsItsDocument(RetrievalMode mode) {
        assertThat(search(index, embedder, "how do green leaves make food from light?", mode, Map.of()))
                .first().isEqualTo("photosynthesis");
        assertThat(search(index, embedder, "how does a cluster agree on who is in charge", mode, Map.of()))
                .first().isEqualTo("raft");
    }

    @ParameterizedTest
    @EnumSource(value = RetrievalMode.class, names = {"BM25", "HYBRID"})
    void anExactIdentifierFindsItsDocument(RetrievalMode mode) {
        assertThat(search(index, embedder, "CVE-2024-3094", mode, Map.of())).first().isEqualTo("xz-backdoor");
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void filtersHoldOnRealVectors(RetrievalMode mode) {
        List<String> kitchen = search(index, embedder, "pressure and water", mode, Map.of("tenant", List.of("kitchen")));
        assertThat(kitchen).isNotEmpty().allMatch(id -> id.equals("sourdough") || id.equals("espresso"));
    }

    @Test
    void denseScoresAreCosineSimilarities() {
        String text = "Tides are caused by the moon";
        List<SearchHit> hits = index.search(new Query(text, 8, RetrievalMode.DENSE, Filters.NONE, "science"),
                embedder.embedQuery(text));
        assertThat(hits.getFirst().documentId()).isEqualTo("tides");
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(-1f, 1f));
        assertThat(hits.getFirst().score()).isGreaterThan(0.5f).isGreaterThan(hits.getLast().score() + 0.3f);
    }

    @Test
    void reindexMovesACollectionToAnotherModel() {
        quantized = new OnnxEmbedder(new OnnxEmbedderConfig(OnnxEmbedderConfig.MINILM_QUANTIZED, 16, 1, 1, 100, 1));
        assertThat(quantized.info().fingerprint()).isNotEqualTo(embedder.info().fingerprint());
        Path otherDir = dataDir.resolve("int8-built");
        try (LuceneIndexStore old = new LuceneIndexStore(otherDir, quantized.info(), LuceneIndexConfig.DEFAULTS)) {
            LuceneCollectionIndex built = old.collection("legacy", true);
            ingest(built, quantized);
            built.commit();
        }
        try (LuceneIndexStore current = new LuceneIndexStore(otherDir, embedder.info(), LuceneIndexConfig.DEFAULTS)) {
            assertThatThrownBy(() -> current.collection("legacy", false)).isInstanceOf(ModelMismatchException.class);
            List<Long> done = new ArrayList<>();
            IndexInfo info = current.reindex("legacy", embedder, (d, total) -> done.add(d));
            assertThat(info.embeddingModel()).isEqualTo(embedder.info().fingerprint());
            assertThat(info.chunks()).isEqualTo(CORPUS.length);
            assertThat(done).last().isEqualTo((long) CORPUS.length);
            assertThat(search(current.collection("legacy", false), embedder, "how do green leaves make food from light?",
                    RetrievalMode.DENSE, Map.of())).first().isEqualTo("photosynthesis");
        }
    }
}
