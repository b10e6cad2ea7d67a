package io.keel.index.lucene;

import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.keel.index.lucene.Fixtures.axis;
import static io.keel.index.lucene.Fixtures.chunk;
import static io.keel.index.lucene.Fixtures.doc;
import static io.keel.index.lucene.Fixtures.put;
import static org.assertj.core.api.Assertions.assertThat;

class CommitTest {
    @TempDir
    Path dataDir;
    private LuceneIndexStore store;
    private LuceneCollectionIndex index;

    @BeforeEach
    void open() {
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG);
        index = store.collection("docs", true);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theVectorCentroidIsTheMeanOfLiveChunkVectors() {
        assertThat(index.vectorCentroid()).isEmpty();
        put(index, doc("a").build(), "alpha", axis(0));
        put(index, doc("b").build(), "beta", axis(1));
        put(index, doc("c").build(), "gamma", axis(2));
        index.delete("c");
        index.commit();
        float[] mean = index.vectorCentroid().orElseThrow();
        assertThat(mean[0]).isEqualTo(0.5f);
        assertThat(mean[1]).isEqualTo(0.5f);
        assertThat(mean[2]).as("deleted documents do not count").isZero();
    }

    @Test
    void versionIncreasesOnlyWhenACommitChangedSomething() {
        assertThat(index.info().version()).isZero();
        assertThat(index.commit()).isZero();

        put(index, doc("a").build(), "alpha", axis(0));
        assertThat(index.commit()).isEqualTo(1);
        assertThat(index.commit()).isEqualTo(1);

        index.delete("never-indexed");
        assertThat(index.commit()).as("deleting an unknown id changes nothing").isEqualTo(1);

        put(index, doc("b").build(), "beta", axis(1));
        index.delete("b");
        assertThat(index.commit()).as("an id written since the last commit is known").isEqualTo(2);

        index.delete("a");
        assertThat(index.commit()).isEqualTo(3);
        assertThat(index.info().version()).isEqualTo(3);
        assertThat(index.info().chunks()).isZero();

        store.close();
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG);
        index = store.collection("docs", false);
        assertThat(index.info().version()).as("the version survives a restart").isEqualTo(3);
        put(index, doc("c").build(), "gamma", axis(2));
        assertThat(index.commit()).isEqualTo(4);
    }

    @Test
    void commitRecordsFormatModelAndVersion() throws Exception {
        put(index, doc("a").build(), "alpha", axis(0));
        index.commit();
        try (FSDirectory dir = FSDirectory.open(dataDir.resolve("collections").resolve("docs"))) {
            Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
            assertThat(data).containsEntry("keel.format", "keel-lucene-1")
                    .containsEntry("keel.model.id", "test-model-a")
                    .containsEntry("keel.model.checksum", "a".repeat(64))
                    .containsEntry("keel.model.dimensions", "8")
                    .containsEntry("keel.model.fingerprint", Fixtures.MODEL_A.fingerprint())
                    .containsEntry("keel.version", "1");
        }
        assertThat(index.info().embeddingModel()).isEqualTo(Fixtures.MODEL_A.fingerprint());
        assertThat(index.info().versionTag()).isEqualTo("docs@1");
    }

    @Test
    void uncommittedWritesAreInvisibleAndLostOnClose() {
        put(index, doc("kept").build(), "kept text", axis(0));
        index.commit();
        put(index, doc("pending").build(), "pending text", axis(1));
        index.delete("kept");

        assertThat(searchAll()).extracting(SearchHit::documentId).containsExactly("kept");
        assertThat(index.contentHash("pending")).isEmpty();
        assertThat(index.contentHash("kept")).contains("hash-kept");
        assertThat(index.info().chunks()).isEqualTo(1);

        store.close();
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG);
        index = store.collection("docs", false);
        assertThat(searchAll()).extracting(SearchHit::documentId).containsExactly("kept");
        assertThat(index.info().version()).isEqualTo(1);
    }

    @Test
    void upsertReplacesEveryChunkOfTheDocument() {
        Document v1 = doc("guide").title("Guide").hash("h1").build();
        index.upsert(v1, List.of(chunk("guide", 0, "one"), chunk("guide", 1, "two"), chunk("guide", 2, "three")),
                List.of(axis(0), axis(1), axis(2)));
        index.commit();
        assertThat(index.info().chunks()).isEqualTo(3);

        Document v2 = doc("guide").title("Guide").hash("h2").build();
        index.upsert(v2, List.of(chunk("guide", 0, "rewritten", "Guide", "Setup")), List.of(axis(3)));
        index.commit();

        assertThat(index.info().documents()).isEqualTo(1);
        assertThat(index.info().chunks()).isEqualTo(1);
        assertThat(index.contentHash("guide")).contains("h2");
        SearchHit hit = searchAll().getFirst();
        assertThat(hit.chunkId()).isEqualTo("guide#0");
        assertThat(hit.text()).isEqualTo("rewritten");
        assertThat(hit.title()).isEqualTo("Guide");
        assertThat(hit.headingPath()).containsExactly("Guide", "Setup");
        assertThat(hit.source()).isEqualTo("docs/guide.md");
    }

    @Test
    void aDocumentWithoutChunksIsRememberedButNeverReturned() {
        Document empty = doc("empty").title("Quarterly zymurgy report").hash("e1").build();
        index.upsert(empty, List.of(), List.of());
        index.commit();

        assertThat(index.contentHash("empty")).contains("e1");
        assertThat(index.documentHashes("")).containsEntry("empty", "e1");
        assertThat(index.info().documents()).isEqualTo(1);
        assertThat(index.info().chunks()).isZero();
        for (RetrievalMode mode : RetrievalMode.values()) {
            assertThat(index.search(new Query("zymurgy report", 10, mode, Filters.NONE, "docs"), axis(0))).isEmpty();
        }
    }

    @Test
    void documentHashesSelectBySourcePrefix() {
        put(index, doc("a").source("docs/a.md").hash("ha").build(), "a", axis(0));
        put(index, doc("b").source("docs/sub/b.md").hash("hb").build(), "b", axis(1));
        put(index, doc("c").source("notes/c.md").hash("hc").build(), "c", axis(2));
        index.commit();

        assertThat(index.documentHashes("docs/")).isEqualTo(Map.of("a", "ha", "b", "hb"));
        assertThat(index.documentHashes("notes/")).isEqualTo(Map.of("c", "hc"));
        assertThat(index.documentHashes("")).hasSize(3);
        assertThat(index.documentHashes("elsewhere/")).isEmpty();
        assertThat(index.contentHash("missing")).isEmpty();
    }

    @Test
    void hitsCarryStoredFieldsAndCosineScores() {
        Document d = doc("m").title("Title").metadata(Map.of("lang", "en", "team", "core")).build();
        float[] v = {3, 4, 0, 0, 0, 0, 0, 0};
        put(index, d, "body text", v);
        index.commit();
        SearchHit hit = index.search(new Query("body", 1, RetrievalMode.DENSE, Filters.NONE, "docs"),
                new float[] {1, 0, 0, 0, 0, 0, 0, 0}).getFirst();
        assertThat(hit.score()).as("cosine of (3,4) and (1,0)").isCloseTo(0.6f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(hit.metadata()).isEqualTo(Map.of("lang", "en", "team", "core"));
        assertThat(hit.documentId()).isEqualTo("m");
    }

    private List<SearchHit> searchAll() {
        return index.search(new Query("text", 100, RetrievalMode.DENSE, Filters.NONE, "docs"), axis(0));
    }
}
