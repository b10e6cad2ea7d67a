package io.keel.index.pgvector;

import io.keel.test.HashingEmbedder;

import io.keel.core.config.ConfigNode;
import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.ExportedDocument;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexedChunks;
import io.keel.core.spi.IndexedDocument;
import io.keel.core.spi.ReindexProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ReindexAndExportTest {
    static final EmbeddingModelInfo MODEL_A = new EmbeddingModelInfo("test-model-a", "a".repeat(64), 8, 256);
    static final EmbeddingModelInfo MODEL_B = new EmbeddingModelInfo("test-model-b", "b".repeat(64), 16, 256);

    private PgTestDatabase database;

    @BeforeEach
    void create() {
        database = PgTestDatabase.create();
    }

    @AfterEach
    void drop() {
        database.close();
    }

    private void build() {
        HashingEmbedder a = new HashingEmbedder(MODEL_A);
        try (IndexStore store = database.open(MODEL_A, Clock.systemUTC(), Map.of())) {
            CollectionIndex kb = store.collection("kb", true);
            String[] texts = {"postgres stores vectors", "lucene stores segments", "kafka moves events"};
            for (int i = 0; i < texts.length; i++) {
                Document d = new Document("d" + i, "Title " + i, "docs/d" + i + ".md", "hash" + i, Instant.EPOCH,
                        "text/markdown", Map.of("team", "t" + i), "acme", i == 0 ? List.of("alice") : List.of(),
                        List.of(Block.paragraph(texts[i])));
                Chunk c = new Chunk(Chunk.idOf(d.id(), 0), d.id(), 0, texts[i], List.of("Section"), 4);
                kb.upsert(d, List.of(c), a.embedAll(List.of(c.embeddingText(d.title()))), 10 + i);
            }
            kb.delete("gone", 7);
            kb.commit();
        }
    }

    @Test
    void anotherModelIsRefusedUntilReindexRewritesTheCollection() {
        build();
        try (IndexStore store = database.open(MODEL_B, Clock.systemUTC(), Map.of())) {
            assertThatThrownBy(() -> store.collection("kb", false)).isInstanceOf(ModelMismatchException.class)
                    .hasMessageContaining("keel reindex --collection kb");
            List<long[]> progress = new ArrayList<>();
            HashingEmbedder b = new HashingEmbedder(MODEL_B);
            var info = store.reindex("kb", b, (done, total) -> progress.add(new long[] {done, total}));
            assertThat(info.embeddingModel()).isEqualTo(MODEL_B.fingerprint());
            assertThat(info.documents()).isEqualTo(3);
            assertThat(info.version()).isEqualTo(2);
            assertThat(progress.getLast()).containsExactly(3, 3);
            CollectionIndex kb = store.collection("kb", false);
            assertThat(kb.document("d1")).contains(IndexedDocument.live("d1", "hash1", 11));
            assertThat(kb.document("gone")).contains(IndexedDocument.tombstone("gone", 7));
            var hits = kb.search(new Query("kafka events", 1, RetrievalMode.DENSE, Filters.NONE, "kb"), b.embedQuery("kafka moves events"));
            assertThat(hits.getFirst().documentId()).isEqualTo("d2");
            float[] expected = IndexedChunks.unit(b.embedQuery("Title 2. Section. kafka moves events"));
            float[] stored = kb.chunkVectors("d2").get("Title 2. Section. kafka moves events");
            for (int i = 0; i < expected.length; i++) assertThat(stored[i]).isCloseTo(expected[i], within(1e-6f));
        }
        try (IndexStore store = database.open(MODEL_A, Clock.systemUTC(), Map.of())) {
            assertThatThrownBy(() -> store.collection("kb", false)).isInstanceOf(ModelMismatchException.class);
        }
    }

    @Test
    void aFailedReindexLeavesTheCollectionAsItWas() {
        build();
        HashingEmbedder failing = new HashingEmbedder(MODEL_A) {
            @Override
            public List<float[]> embedAll(List<String> texts) {
                throw new IllegalStateException("model crashed");
            }
        };
        try (IndexStore store = database.open(MODEL_A, Clock.systemUTC(), Map.of())) {
            assertThatThrownBy(() -> store.reindex("kb", failing, ReindexProgress.NONE)).hasMessageContaining("model crashed");
            var info = store.collection("kb", false).info();
            assertThat(info.version()).isEqualTo(1);
            assertThat(info.embeddingModel()).isEqualTo(MODEL_A.fingerprint());
            assertThat(store.collection("kb", false).chunkVectors("d0")).hasSize(1);
        }
    }

    @Test
    void exportYieldsEveryDocumentWithItsVectorsAndEveryTombstone() {
        build();
        try (IndexStore store = database.open(MODEL_A, Clock.systemUTC(), Map.of())) {
            CollectionIndex kb = store.collection("kb", false);
            List<ExportedDocument> out = new ArrayList<>();
            kb.export(out::add);
            assertThat(out).extracting(e -> e.state().id()).containsExactly("d0", "d1", "d2", "gone");
            ExportedDocument d0 = out.getFirst();
            assertThat(d0.state()).isEqualTo(IndexedDocument.live("d0", "hash0", 10));
            assertThat(d0.document().acl()).containsExactly("alice");
            assertThat(d0.document().metadata()).containsEntry("team", "t0");
            assertThat(d0.chunks()).extracting(Chunk::headingPath).containsExactly(List.of("Section"));
            assertThat(d0.vectors().getFirst()).containsExactly(kb.chunkVectors("d0").values().iterator().next());
            assertThat(out.getLast().state().deleted()).isTrue();
            assertThat(out.getLast().deletedAt()).isNotNull();
        }
    }

    @Test
    void aStoreWithoutADatabaseSaysHowToConfigureOne() {
        ConfigNode section = ConfigNode.root(Map.of("index", Map.of("backend", "pgvector")), Map.of()).child("index");
        assertThatThrownBy(() -> new PgVectorIndexStoreFactory().open(new IndexStoreContext(Path.of("x"), MODEL_A, section,
                Clock.systemUTC(), null)))
                .isInstanceOf(KeelException.class).hasMessageContaining("index.pgvector.url").hasMessageContaining("store.backend: postgresql");
        ConfigNode bad = ConfigNode.root(Map.of("index", Map.of("pgvector", Map.of("url", "jdbc:mysql://x/y"))), Map.of()).child("index");
        assertThatThrownBy(() -> new PgVectorIndexStoreFactory().validate(bad)).isInstanceOf(KeelException.class)
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void theSharedPostgresPoolIsUsedAndNotClosed() throws Exception {
        com.zaxxer.hikari.HikariConfig h = new com.zaxxer.hikari.HikariConfig();
        h.setJdbcUrl(database.url());
        h.setUsername("postgres");
        try (var pool = new com.zaxxer.hikari.HikariDataSource(h)) {
            ConfigNode section = ConfigNode.root(Map.of("index", Map.of("backend", "pgvector")), Map.of()).child("index");
            IndexStoreContext context = new IndexStoreContext(Path.of("x"), MODEL_A, section, Clock.systemUTC(),
                    new IndexStoreContext.SharedDatabase(pool, "postgresql"));
            try (IndexStore store = new PgVectorIndexStoreFactory().open(context)) {
                store.collection("shared", true);
                assertThat(store.collections()).containsExactly("shared");
            }
            assertThat(pool.isClosed()).isFalse();
        }
    }
}
