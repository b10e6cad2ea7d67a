package io.keel.index.lucene;

import io.keel.core.spi.ReindexProgress;

import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.spi.IndexedDocument;
import io.keel.test.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.keel.index.lucene.Fixtures.axis;
import static io.keel.index.lucene.Fixtures.chunk;
import static io.keel.index.lucene.Fixtures.doc;
import static org.assertj.core.api.Assertions.assertThat;

class VersionedWriteTest {
    @TempDir
    Path dataDir;
    /** Stamps tombstones; moved by {@link #pause()}. */
    private final ManualClock clock = new ManualClock();
    private LuceneIndexStore store;
    private LuceneCollectionIndex index;

    @BeforeEach
    void open() {
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG, clock);
        index = store.collection("docs", true);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Closes the store and re-embeds the collection with model B, as {@code keel reindex} does. */
    private void reindexWithAnotherModel() {
        store.close();
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_B, Fixtures.CONFIG, clock);
        store.reindex("docs", Fixtures.hashingEmbedder(Fixtures.MODEL_B), ReindexProgress.NONE);
        index = store.collection("docs", false);
    }

    @Test
    void aVersionedUpsertIsReportedWithItsVersionAfterTheCommit() {
        assertThat(index.supportsVersions()).isTrue();
        index.upsert(doc("a").hash("h1").build(), List.of(chunk("a", 0, "alpha")), List.of(axis(0)), 7);
        assertThat(index.document("a")).as("writes are visible after the commit").isEmpty();

        index.commit();

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "h1", 7));
        assertThat(index.contentHash("a")).contains("h1");
    }

    @Test
    void eachIdFindsItsOwnLiveRecordAcrossSegmentsAndReplacedVersions() {
        // One commit per write leaves one segment each, with the replaced versions still in them as deleted docs.
        index.upsert(doc("a").hash("a1").build(), List.of(chunk("a", 0, "alpha")), List.of(axis(0)), 1);
        index.commit();
        index.upsert(doc("ab").hash("ab1").build(), List.of(chunk("ab", 0, "beta")), List.of(axis(1)), 1);
        index.commit();
        index.upsert(doc("a").hash("a2").build(), List.of(chunk("a", 0, "alpha two"), chunk("a", 1, "more")),
                List.of(axis(0), axis(1)), 2);
        index.commit();
        index.delete("ab", 5);
        index.commit();

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "a2", 2));
        assertThat(index.contentHash("a")).contains("a2");
        assertThat(index.document("ab")).contains(IndexedDocument.tombstone("ab", 5));
        assertThat(index.contentHash("ab")).as("a tombstone has no content").isEmpty();
        assertThat(index.document("a#0")).as("a chunk id is not a document id").isEmpty();
        assertThat(index.document("b")).isEmpty();
    }

    @Test
    void anUnversionedUpsertHasNoVersion() {
        Fixtures.put(index, doc("a").hash("h1").build(), "alpha", axis(0));
        index.commit();

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "h1", IndexedDocument.NO_VERSION));
    }

    @Test
    void aVersionedDeleteLeavesATombstoneThatIsNeitherSearchedNorCounted() {
        index.upsert(doc("a").build(), List.of(chunk("a", 0, "alpha words")), List.of(axis(0)), 1);
        index.commit();

        index.delete("a", 2);
        index.delete("never-seen", 5);
        index.commit();

        assertThat(index.document("a")).contains(IndexedDocument.tombstone("a", 2));
        assertThat(index.document("never-seen")).contains(IndexedDocument.tombstone("never-seen", 5));
        assertThat(index.contentHash("a")).isEmpty();
        assertThat(index.documentHashes("")).isEmpty();
        assertThat(index.info().documents()).isZero();
        assertThat(index.info().chunks()).isZero();
        assertThat(index.search(new Query("alpha", 5, RetrievalMode.BM25, null, "docs"), null)).isEmpty();
    }

    @Test
    void anUpsertReplacesTheTombstone() {
        index.delete("a", 3);
        index.commit();
        index.upsert(doc("a").hash("h4").build(), List.of(chunk("a", 0, "alpha")), List.of(axis(0)), 4);
        index.commit();

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "h4", 4));
        assertThat(index.info().documents()).isEqualTo(1);
    }

    @Test
    void versionsAndTombstonesSurviveAReopen() {
        index.upsert(doc("a").hash("h1").build(), List.of(chunk("a", 0, "alpha")), List.of(axis(0)), 10);
        index.delete("b", 11);
        index.commit();
        store.close();

        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG, clock);
        index = store.collection("docs", false);

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "h1", 10));
        assertThat(index.document("b")).contains(IndexedDocument.tombstone("b", 11));
    }

    @Test
    void updateVersionRaisesTheVersionWithoutTouchingTheChunks() {
        Fixtures.put(index, doc("batch").hash("hb").build(), "batch ingested words", axis(1));
        index.upsert(doc("a").hash("h1").build(), List.of(chunk("a", 0, "alpha"), chunk("a", 1, "more alpha")),
                List.of(axis(0), axis(2)), 1);
        index.delete("gone", 3);
        index.commit();

        index.updateVersion("a", 5);
        index.updateVersion("batch", 2);
        index.updateVersion("gone", 4);
        index.updateVersion("unknown", 9);
        index.commit();

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "h1", 5));
        assertThat(index.document("batch")).contains(IndexedDocument.live("batch", "hb", 2));
        assertThat(index.document("gone")).contains(IndexedDocument.tombstone("gone", 4));
        assertThat(index.document("unknown")).isEmpty();
        assertThat(index.info().chunks()).isEqualTo(3);
        assertThat(index.search(new Query("alpha", 5, RetrievalMode.BM25, null, "docs"), null))
                .extracting(hit -> hit.chunkId()).containsExactlyInAnyOrder("a#0", "a#1");
    }

    @Test
    void aReindexKeepsVersionsAndTombstones() {
        index.upsert(doc("a").hash("h1").build(), List.of(chunk("a", 0, "alpha")), List.of(axis(0)), 10);
        index.delete("b", 11);
        index.commit();

        reindexWithAnotherModel();

        assertThat(index.document("a")).contains(IndexedDocument.live("a", "h1", 10));
        assertThat(index.document("b")).contains(IndexedDocument.tombstone("b", 11));
    }

    @Test
    void purgingRemovesOnlyTombstonesOlderThanTheCutoff() {
        index.upsert(doc("live").hash("h1").build(), List.of(chunk("live", 0, "alpha")), List.of(axis(0)), 1);
        index.delete("old", 2);
        index.commit();
        Instant cutoff = pause();
        index.delete("recent", 3);
        index.commit();

        assertThat(index.purgeTombstones(cutoff)).isEqualTo(1);
        assertThat(index.document("old")).as("purged only at the commit").contains(IndexedDocument.tombstone("old", 2));
        index.commit();

        assertThat(index.document("old")).isEmpty();
        assertThat(index.document("recent")).contains(IndexedDocument.tombstone("recent", 3));
        assertThat(index.document("live")).contains(IndexedDocument.live("live", "h1", 1));
        assertThat(index.purgeTombstones(cutoff)).as("nothing left to purge").isZero();
    }

    @Test
    void aReindexKeepsWhenEachTombstoneWasWritten() {
        index.delete("old", 2);
        index.commit();
        Instant cutoff = pause();
        index.delete("recent", 3);
        index.commit();

        reindexWithAnotherModel();
        index.purgeTombstones(cutoff);
        index.commit();

        assertThat(index.document("old")).isEmpty();
        assertThat(index.document("recent")).contains(IndexedDocument.tombstone("recent", 3));
    }

    /** An instant strictly between the writes before and after it (deletion times have millisecond resolution). */
    private Instant pause() {
        clock.advance(java.time.Duration.ofMillis(5));
        Instant cutoff = clock.instant();
        clock.advance(java.time.Duration.ofMillis(5));
        return cutoff;
    }
}
