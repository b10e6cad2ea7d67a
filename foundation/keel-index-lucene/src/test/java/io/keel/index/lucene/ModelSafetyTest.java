package io.keel.index.lucene;

import io.keel.core.spi.ReindexProgress;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.ForwardingEmbedder;
import io.keel.core.spi.EmbeddingModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.keel.index.lucene.Fixtures.MODEL_A;
import static io.keel.index.lucene.Fixtures.MODEL_B;
import static io.keel.index.lucene.Fixtures.axis;
import static io.keel.index.lucene.Fixtures.chunk;
import static io.keel.index.lucene.Fixtures.doc;
import static io.keel.index.lucene.Fixtures.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSafetyTest {
    @TempDir
    Path dataDir;

    @Test
    void aCollectionBuiltByAnotherModelIsRefusedForReadsAndWrites() {
        buildWith(MODEL_A);
        try (LuceneIndexStore other = new LuceneIndexStore(dataDir, MODEL_B, Fixtures.CONFIG)) {
            assertThatThrownBy(() -> other.collection("kb", false))
                    .isInstanceOf(ModelMismatchException.class)
                    .hasMessageContaining(MODEL_A.fingerprint())
                    .hasMessageContaining(MODEL_B.fingerprint())
                    .hasMessageContaining("keel reindex --collection kb");
            assertThatThrownBy(() -> other.collection("kb", true)).isInstanceOf(ModelMismatchException.class);
            assertThat(other.collections()).containsExactly("kb");
        }
    }

    @Test
    void theSameModelIdWithOtherDimensionsIsAMismatch() {
        buildWith(MODEL_A);
        EmbeddingModelInfo wider = new EmbeddingModelInfo(MODEL_A.id(), MODEL_A.checksum(), 16, 256);
        try (LuceneIndexStore other = new LuceneIndexStore(dataDir, wider, Fixtures.CONFIG)) {
            assertThatThrownBy(() -> other.collection("kb", false))
                    .isInstanceOf(ModelMismatchException.class)
                    .hasMessageContaining("8 dimensions").hasMessageContaining("16 dimensions");
        }
    }

    @Test
    void anOpenCollectionRefusesEverythingOnceAnotherProcessReembedsIt() {
        buildWith(MODEL_A);
        try (LuceneIndexStore serving = new LuceneIndexStore(dataDir, MODEL_A, Fixtures.CONFIG);
             LuceneIndexStore reindexing = new LuceneIndexStore(dataDir, MODEL_B, Fixtures.CONFIG)) {
            LuceneCollectionIndex index = serving.collection("kb", false);
            assertThat(search(index, axis(0))).isNotEmpty();

            reindexing.reindex("kb", Fixtures.hashingEmbedder(MODEL_B), ReindexProgress.NONE);

            assertThatThrownBy(() -> search(index, axis(0))).isInstanceOf(ModelMismatchException.class);
            assertThatThrownBy(index::info).isInstanceOf(ModelMismatchException.class);
            assertThatThrownBy(() -> put(index, doc("new").build(), "new", axis(1)))
                    .isInstanceOf(ModelMismatchException.class);
        }
    }

    @Test
    void reindexSwitchesTheFingerprintAndKeepsEveryDocument() {
        buildWith(MODEL_A);
        Embedder embedder = Fixtures.hashingEmbedder(MODEL_B);
        List<long[]> progress = new ArrayList<>();
        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, MODEL_B, Fixtures.CONFIG)) {
            var info = store.reindex("kb", embedder, (done, total) -> progress.add(new long[] {done, total}));

            assertThat(info.embeddingModel()).isEqualTo(MODEL_B.fingerprint());
            assertThat(info.version()).isEqualTo(2);
            assertThat(info.documents()).isEqualTo(3);
            assertThat(info.chunks()).isEqualTo(3);
            assertThat(progress).isNotEmpty();
            assertThat(progress.getLast()).containsExactly(3, 3);

            LuceneCollectionIndex index = store.collection("kb", false);
            List<SearchHit> hits = search(index, embedder.embedQuery("Gardening. Pruning roses in early spring"));
            assertThat(hits.getFirst().documentId()).isEqualTo("roses");
            assertThat(hits.getFirst().score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(hits.getFirst().headingPath()).containsExactly("Gardening");
            assertThat(index.contentHash("empty")).contains("hash-empty");
        }
        try (LuceneIndexStore old = new LuceneIndexStore(dataDir, MODEL_A, Fixtures.CONFIG)) {
            assertThatThrownBy(() -> old.collection("kb", false)).isInstanceOf(ModelMismatchException.class);
        }
    }

    @Test
    void reindexNeedsTheConfiguredModel() {
        buildWith(MODEL_A);
        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, MODEL_A, Fixtures.CONFIG)) {
            assertThatThrownBy(() -> store.reindex("kb", Fixtures.hashingEmbedder(MODEL_B), ReindexProgress.NONE))
                    .isInstanceOf(KeelException.class)
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
            assertThatThrownBy(() -> store.reindex("nope", Fixtures.hashingEmbedder(MODEL_A), ReindexProgress.NONE))
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void aFailedReindexLeavesTheCollectionAsItWas() {
        buildWith(MODEL_A);
        Embedder failing = new ForwardingEmbedder(Fixtures.hashingEmbedder(MODEL_B)) {
            @Override
            public List<float[]> embedAll(List<String> texts) {
                throw new IllegalStateException("model crashed");
            }
        };
        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, MODEL_B, Fixtures.CONFIG)) {
            assertThatThrownBy(() -> store.reindex("kb", failing, ReindexProgress.NONE)).hasMessageContaining("model crashed");
        }
        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, MODEL_A, Fixtures.CONFIG)) {
            LuceneCollectionIndex index = store.collection("kb", false);
            assertThat(index.info().version()).isEqualTo(1);
            assertThat(index.info().chunks()).isEqualTo(3);
            assertThat(search(index, axis(0)).getFirst().documentId()).isEqualTo("roses");
        }
    }

    private void buildWith(EmbeddingModelInfo model) {
        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, model, Fixtures.CONFIG)) {
            LuceneCollectionIndex index = store.collection("kb", true);
            index.upsert(doc("roses").title("Gardening").build(),
                    List.of(chunk("roses", 0, "Pruning roses in early spring", "Gardening")), List.of(axis(0)));
            index.upsert(doc("bread").title("Baking").build(),
                    List.of(chunk("bread", 0, "Sourdough needs a lively starter"), chunk("bread", 1, "Bake at high heat")),
                    List.of(axis(1), axis(2)));
            index.upsert(doc("empty").build(), List.of(), List.of());
            assertThat(index.commit()).isEqualTo(1);
        }
    }

    private static List<SearchHit> search(LuceneCollectionIndex index, float[] vector) {
        return index.search(new Query("roses", 3, RetrievalMode.DENSE, Filters.NONE, "kb"), vector);
    }
}
