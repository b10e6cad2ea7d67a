package io.keel.index.lucene;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.keel.index.lucene.Fixtures.axis;
import static io.keel.index.lucene.Fixtures.doc;
import static io.keel.index.lucene.Fixtures.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneIndexStoreTest {
    @TempDir
    Path dataDir;
    private LuceneIndexStore store;

    @BeforeEach
    void open() {
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void collectionsAreIsolatedDirectories() {
        LuceneCollectionIndex alpha = store.collection("alpha", true);
        LuceneCollectionIndex beta = store.collection("beta", true);
        put(alpha, doc("a1").build(), "shared words", axis(0));
        put(alpha, doc("a2").build(), "shared words", axis(1));
        alpha.commit();
        put(beta, doc("b1").build(), "shared words", axis(0));

        assertThat(alpha.info().chunks()).isEqualTo(2);
        assertThat(alpha.info().version()).isEqualTo(1);
        assertThat(beta.info().chunks()).isZero();
        assertThat(beta.info().version()).isZero();
        for (RetrievalMode mode : RetrievalMode.values()) {
            assertThat(beta.search(new Query("shared words", 10, mode, Filters.NONE, "beta"), axis(0))).isEmpty();
        }
        beta.commit();
        assertThat(beta.search(new Query("shared words", 10, RetrievalMode.HYBRID, Filters.NONE, "beta"), axis(0)))
                .extracting(SearchHit::documentId).containsExactly("b1");

        assertThat(store.collections()).containsExactly("alpha", "beta");
        assertThat(Files.isDirectory(dataDir.resolve("collections").resolve("alpha"))).isTrue();
        assertThat(store.collection("alpha", false)).isSameAs(alpha);
    }

    @Test
    void aMissingCollectionSaysHowToCreateItAndWhatExists() {
        store.collection("existing", true);
        assertThatThrownBy(() -> store.collection("missing", false))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("existing")
                .hasMessageContaining("keel ingest PATH --collection missing")
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(Files.exists(dataDir.resolve("collections").resolve("missing"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "has space", "../escape", "-dash-first", "dot.ted",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
    void invalidNamesAreRejected(String name) {
        assertThatThrownBy(() -> store.collection(name, true))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("is invalid")
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void validNamesAreAccepted() {
        assertThat(store.collection("a", true).name()).isEqualTo("a");
        assertThat(store.collection("kb_2026-v1", true).name()).isEqualTo("kb_2026-v1");
    }

    @Test
    void badInputIsRejectedWithReasons() {
        LuceneCollectionIndex index = store.collection("input", true);
        assertThatThrownBy(() -> put(index, doc("d").build(), "x", new float[3])).hasMessageContaining("3 dimensions");
        assertThatThrownBy(() -> put(index, doc("d").build(), "x", new float[Fixtures.DIMS])).hasMessageContaining("zero length");
        assertThatThrownBy(() -> index.upsert(doc("d").build(), List.of(Fixtures.chunk("other", 0, "x")), List.of(axis(0))))
                .hasMessageContaining("belongs to document 'other'");
        assertThatThrownBy(() -> index.search(Query.of("q", 3).withMode(RetrievalMode.DENSE), null))
                .hasMessageContaining("needs the query embedding");
    }

    @Test
    void closedStoresAndCollectionsSayUnavailable() {
        LuceneCollectionIndex index = store.collection("c", true);
        store.close();
        assertThatThrownBy(index::info).satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> store.collection("d", true))
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void searchesRunWhileAnotherThreadWritesAndCommits() throws Exception {
        LuceneCollectionIndex index = store.collection("busy", true);
        put(index, doc("seed").build(), "seed words", axis(0));
        index.commit();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    long lastVersion = 0;
                    long lastChunks = 0;
                    while (writing.get()) {
                        var info = index.info();
                        assertThat(info.version()).isGreaterThanOrEqualTo(lastVersion);
                        assertThat(index.search(new Query("words", 5, RetrievalMode.HYBRID, Filters.NONE, "busy"), axis(0)))
                                .isNotEmpty();
                        lastVersion = info.version();
                        lastChunks = info.chunks();
                    }
                    return lastChunks;
                }));
            }
            for (int i = 0; i < 8; i++) {
                put(index, doc("w" + i).build(), "more words " + i, axis(i % Fixtures.DIMS));
                index.commit();
            }
            writing.set(false);
            for (Future<Long> r : readers) r.get();
            assertThat(index.info().version()).isEqualTo(9);
            assertThat(index.info().chunks()).isEqualTo(9);
        } finally {
            pool.shutdownNow();
        }
    }
}
