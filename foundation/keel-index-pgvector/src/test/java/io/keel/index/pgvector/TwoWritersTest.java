package io.keel.index.pgvector;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.test.HashingEmbedder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two stores on one database, as two Keel instances are: each writes in its own transaction and sees the other's
 * commits at once. Writes of one document id through both wait for each other, so the document never ends up with both
 * writers' chunks; and the text statistics kept in the postings table follow every commit, whoever made it.
 */
class TwoWritersTest {
    static final EmbeddingModelInfo MODEL = new EmbeddingModelInfo("test-model", "c".repeat(64), 8, 256);
    private final HashingEmbedder embedder = new HashingEmbedder(MODEL);
    private PgTestDatabase database;
    private IndexStore first;
    private IndexStore second;

    @BeforeEach
    void open() {
        database = PgTestDatabase.create();
        first = database.open(MODEL, Clock.systemUTC(), Map.of());
        second = database.open(MODEL, Clock.systemUTC(), Map.of());
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
        database.close();
    }

    private void upsert(CollectionIndex index, String id, long version, String... texts) {
        Document d = new Document(id, "Title", "docs/" + id + ".md", "hash-" + version, Instant.EPOCH, "text/markdown",
                Map.of(), "acme", List.of(), List.of(Block.paragraph(String.join(" ", texts))));
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) chunks.add(new Chunk(Chunk.idOf(id, i), id, i, texts[i], List.of(), 4));
        index.upsert(d, chunks, embedder.embedAll(chunks.stream().map(c -> c.embeddingText(d.title())).toList()), version);
    }

    private static List<SearchHit> bm25(CollectionIndex index, String text) {
        return index.search(new Query(text, 30, RetrievalMode.BM25, Filters.NONE, "kb"), null);
    }

    @Test
    void writesOfOneDocumentThroughTwoStoresWaitForEachOtherAndNeverDoubleItsChunks() throws Exception {
        CollectionIndex a = first.collection("kb", true);
        CollectionIndex b = second.collection("kb", true);
        upsert(a, "doc", 1, "the first writer wrote about herons", "and about egrets");

        // B writes the same document while A's transaction is open: it waits for A.
        CompletableFuture<Long> bCommitted = CompletableFuture.supplyAsync(() -> {
            upsert(b, "doc", 2, "the second writer wrote about cormorants");
            return b.commit();
        });
        assertThatThrownBy(() -> bCommitted.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        long aVersion = a.commit();
        long bVersion = bCommitted.get(30, TimeUnit.SECONDS);
        assertThat(bVersion).isEqualTo(aVersion + 1);

        // B replaced A's chunks after A committed: one document, B's one chunk, seen the same through both stores.
        for (CollectionIndex index : List.of(a, b)) {
            assertThat(index.info().documents()).isEqualTo(1);
            assertThat(index.info().chunks()).isEqualTo(1);
            assertThat(index.document("doc").orElseThrow().version()).isEqualTo(2);
            assertThat(bm25(index, "cormorants")).extracting(SearchHit::chunkId).containsExactly("doc#0");
            assertThat(bm25(index, "herons egrets")).isEmpty();
        }
    }

    @Test
    void textStatisticsFollowCommitsOfTheOtherStore() {
        CollectionIndex a = first.collection("kb", true);
        CollectionIndex b = second.collection("kb", true);
        upsert(a, "rare", 1, "a note about the quokka");
        upsert(a, "common", 1, "a note about the wombat");
        a.commit();
        assertThat(bm25(b, "quokka")).extracting(SearchHit::documentId).containsExactly("rare");
        assertThat(bm25(b, "wombat")).extracting(SearchHit::documentId).containsExactly("common");

        // Many wombats written through B: through A, a quokka (rarer, higher idf) now outranks a wombat.
        for (int i = 0; i < 20; i++) upsert(b, "w" + i, 1, "another wombat");
        b.commit();
        List<SearchHit> both = bm25(a, "quokka wombat");
        assertThat(both.get(0).documentId()).isEqualTo("rare");
        assertThat(both).hasSize(22);

        // Deletes through A remove the postings B reads.
        for (int i = 0; i < 20; i++) a.delete("w" + i);
        a.commit();
        assertThat(bm25(b, "wombat")).extracting(SearchHit::documentId).containsExactly("common");
    }
}
