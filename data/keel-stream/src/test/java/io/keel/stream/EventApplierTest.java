package io.keel.stream;

import com.sun.net.httpserver.HttpServer;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexedDocument;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.test.ManualClock;
import io.keel.ingest.chunk.ChunkerConfig;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.keel.stream.StreamFixtures.chunksByDocument;
import static io.keel.stream.StreamFixtures.documentsMatching;
import static io.keel.stream.StreamFixtures.search;
import static org.assertj.core.api.Assertions.assertThat;

class EventApplierTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path files;
    private LuceneIndexStore store;
    private CollectionIndex index;
    private EventApplier applier;

    @BeforeEach
    void open() {
        store = StreamFixtures.store(dataDir);
        index = store.collection("kb", true);
        applier = new EventApplier(StreamFixtures.embedder(), ChunkerConfig.defaults(),
                ContentConfig.DEFAULTS.withAllowedPaths(files));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static DocumentEvent upsert(String id, long version, String content) {
        return DocumentEvent.upsert(id, null, version, content, "text/markdown");
    }

    private AppliedBatch apply(DocumentEvent... events) {
        return applier.apply(index, List.of(events));
    }

    @Test
    void aBatchIsEmbeddedInOneCallWhateverItsSize() {
        // A remote embedder turns one call into parallel requests over its replicas; one call per document or per
        // chunk would be a round trip each.
        List<Integer> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.keel.core.spi.Embedder model = StreamFixtures.embedder();
        io.keel.core.spi.Embedder counting = new io.keel.core.spi.Embedder() {
            @Override
            public io.keel.core.spi.EmbeddingModelInfo info() {
                return model.info();
            }

            @Override
            public float[] embedQuery(String text) {
                return model.embedQuery(text);
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                calls.add(texts.size());
                return model.embedAll(texts);
            }

            @Override
            public io.keel.core.spi.TokenCounter tokenCounter() {
                return model.tokenCounter();
            }

            @Override
            public void close() {
            }
        };
        EventApplier batching = new EventApplier(counting);
        List<DocumentEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) events.add(upsert("doc-" + i, 1, StreamFixtures.article("m" + i, 250)));

        AppliedBatch batch = batching.apply(index, events);

        int chunks = batch.outcomes().stream().mapToInt(EventOutcome::chunks).sum();
        assertThat(batch.outcomes()).allSatisfy(o -> assertThat(o.chunks()).as("several chunks each").isGreaterThan(1));
        assertThat(calls).as("one embedAll for the six documents' chunks").containsExactly(chunks);
        assertThat(batch.chunksEmbedded()).isEqualTo(chunks);
    }

    @Test
    void anUpsertIsSearchableAfterItsBatch() {
        AppliedBatch batch = apply(upsert("a", 1, "# Refunds\n\nRefunds take zanzibarium five days."));

        assertThat(batch.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(EventStatus.ACCEPTED);
            assertThat(o.chunks()).isEqualTo(1);
        });
        assertThat(batch.indexVersion()).isEqualTo(1);
        assertThat(search(index, "zanzibarium")).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo("a");
            assertThat(hit.title()).isEqualTo("Refunds");
        });
        assertThat(StreamFixtures.searchDense(index, "how long do refunds take")).first()
                .extracting(hit -> hit.documentId()).isEqualTo("a");
        assertThat(index.document("a")).get().extracting(IndexedDocument::version).isEqualTo(1L);
    }

    @Test
    void anUpdateEmbedsOnlyTheChunksWhoseTextChanged() {
        String shipping = "## Shipping\n\nParcels leave the warehouse within two days.";
        String returns = "## Returns\n\nReturns are accepted within thirty days.";
        AppliedBatch first = apply(upsert("a", 1, "# Policy\n\n" + shipping + "\n\n" + returns
                + "\n\n## Warranty\n\nThe warranty lasts one year."));
        assertThat(first.chunksEmbedded()).isEqualTo(3);
        assertThat(first.vectorsReused()).as("a new document has nothing to reuse").isZero();
        Map<String, float[]> before = index.chunkVectors("a");

        AppliedBatch update = apply(upsert("a", 2, "# Policy\n\n" + shipping + "\n\n" + returns
                + "\n\n## Warranty\n\nThe warranty lasts two years and covers batteries of quetzalite."));

        assertThat(update.chunksEmbedded()).as("only the warranty section changed").isEqualTo(1);
        assertThat(update.vectorsReused()).isEqualTo(2);
        Map<String, float[]> after = index.chunkVectors("a");
        assertThat(after).hasSize(3);
        List<String> texts = List.copyOf(after.keySet());
        List<float[]> fresh = StreamFixtures.embedder().embedAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(VectorUtil.cosine(after.get(texts.get(i)), fresh.get(i))).as(texts.get(i)).isGreaterThan(0.9999f);
            if (before.containsKey(texts.get(i))) assertThat(after.get(texts.get(i))).containsExactly(before.get(texts.get(i)));
        }
        assertThat(search(index, "quetzalite")).singleElement().extracting(hit -> hit.documentId()).isEqualTo("a");
        assertThat(index.info().chunks()).isEqualTo(3);

        AppliedBatch retitled = apply(new DocumentEvent(DocumentEvent.Op.UPSERT, "a", null, 3, null, "# Policy\n\n" + shipping,
                null, null, "Store policy", "text/markdown", null, null, null));
        assertThat(retitled.vectorsReused()).as("the title is part of every chunk's embedding text").isZero();
        assertThat(retitled.chunksEmbedded()).isEqualTo(1);
    }


    @Test
    void aBatchIsCommittedOnce() {
        AppliedBatch batch = apply(upsert("a", 1, "alpha quokkaite"), upsert("b", 1, "beta quokkaite"),
                DocumentEvent.delete("c", null, 1));

        assertThat(batch.indexVersion()).as("one commit for three events").isEqualTo(1);
        assertThat(index.info().version()).isEqualTo(1);
        assertThat(documentsMatching(index, "quokkaite")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aDuplicateDeliveryHasNoEffect() {
        DocumentEvent event = upsert("a", 3, "the original wording of ostrakonite");
        apply(event);
        long version = index.info().version();

        AppliedBatch again = apply(event);

        assertThat(again.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(EventStatus.STALE);
            assertThat(o.reason()).contains("version 3 is not newer than the document at version 3");
        });
        assertThat(again.indexVersion()).as("nothing was written, so nothing was committed").isEqualTo(version);
        assertThat(chunksByDocument(index, "ostrakonite")).containsExactly(Map.entry("a", List.of("a#0")));
    }

    @Test
    void anOlderVersionArrivingLateIsStale() {
        apply(upsert("a", 5, "version five mentions pelicanium"));

        AppliedBatch late = apply(upsert("a", 4, "version four mentions albatrossium"));

        assertThat(late.outcomes().getFirst().status()).isEqualTo(EventStatus.STALE);
        assertThat(documentsMatching(index, "pelicanium")).containsExactly("a");
        assertThat(documentsMatching(index, "albatrossium")).isEmpty();
    }

    @Test
    void withinABatchEachIdIsTakenInOrderAndOnlyItsLastStateIsWritten() {
        AppliedBatch batch = apply(
                upsert("a", 1, "first words of cormorantite"),
                upsert("a", 3, "third words of gannetite"),
                upsert("a", 2, "second words of boobyite"),
                upsert("b", 1, "b body of gannetite"),
                DocumentEvent.delete("b", null, 2));

        assertThat(batch.outcomes()).extracting(EventOutcome::status).containsExactly(EventStatus.ACCEPTED,
                EventStatus.ACCEPTED, EventStatus.STALE, EventStatus.ACCEPTED, EventStatus.ACCEPTED);
        assertThat(documentsMatching(index, "gannetite")).containsExactly("a");
        assertThat(documentsMatching(index, "cormorantite boobyite")).isEmpty();
        assertThat(index.document("a")).get().extracting(IndexedDocument::version).isEqualTo(3L);
        assertThat(index.document("b")).contains(IndexedDocument.tombstone("b", 2));
    }

    @Test
    void aDeleteRemovesTheDocumentAndItsTombstoneStopsOlderUpserts() {
        apply(upsert("a", 1, "text about flamingonite"));

        AppliedBatch delete = apply(DocumentEvent.delete("a", null, 2));
        assertThat(delete.outcomes().getFirst().status()).isEqualTo(EventStatus.ACCEPTED);
        assertThat(search(index, "flamingonite")).isEmpty();
        assertThat(index.document("a")).contains(IndexedDocument.tombstone("a", 2));

        AppliedBatch replay = apply(upsert("a", 1, "text about flamingonite"));
        assertThat(replay.outcomes().getFirst().status()).isEqualTo(EventStatus.STALE);
        assertThat(replay.outcomes().getFirst().reason()).contains("not newer than the delete at version 2");
        assertThat(search(index, "flamingonite")).isEmpty();

        apply(upsert("a", 3, "revived text about flamingonite"));
        assertThat(documentsMatching(index, "flamingonite")).containsExactly("a");
    }

    @Test
    void aDeleteOfAnUnknownIdStillBlocksAnOlderUpsertDeliveredLater() {
        apply(DocumentEvent.delete("ghost", null, 9));

        AppliedBatch late = apply(upsert("ghost", 8, "late spectralite text"));

        assertThat(late.outcomes().getFirst().status()).isEqualTo(EventStatus.STALE);
        assertThat(search(index, "spectralite")).isEmpty();
    }

    @Test
    void tombstonesPastTheirRetentionArePurgedWithALaterBatch() {
        ManualClock clock = new ManualClock();
        CollectionIndex timed = timedIndex(clock);
        EventApplier purging = new EventApplier(StreamFixtures.embedder(), ChunkerConfig.defaults(), ContentConfig.DEFAULTS,
                io.keel.ingest.ChunkScreen.NONE, new TombstoneRetention(Duration.ofHours(1), Duration.ZERO), clock);
        purging.apply(timed, List.of(DocumentEvent.delete("old", null, 5)));
        clock.advance(Duration.ofMinutes(59));
        purging.apply(timed, List.of(DocumentEvent.delete("recent", null, 7)));
        assertThat(timed.document("old")).as("within its retention").contains(IndexedDocument.tombstone("old", 5));
        clock.advance(Duration.ofMinutes(2));
        purging.apply(timed, List.of(DocumentEvent.delete("other", null, 1)));

        assertThat(timed.document("old")).as("past its retention").isEmpty();
        assertThat(timed.document("recent")).contains(IndexedDocument.tombstone("recent", 7));
        // once forgotten, the id is new again: even an older version applies
        AppliedBatch late = purging.apply(timed, List.of(upsert("old", 4, "late cobaltine text")));
        assertThat(late.outcomes().getFirst().status()).isEqualTo(EventStatus.ACCEPTED);
        assertThat(late.committedAt()).isEqualTo(clock.instant());
        assertThat(documentsMatching(timed, "cobaltine")).containsExactly("old");
    }

    @Test
    void tombstonesAreKeptForeverWhenRetentionIsZero() {
        ManualClock clock = new ManualClock();
        CollectionIndex timed = timedIndex(clock);
        EventApplier keeping = new EventApplier(StreamFixtures.embedder(), ChunkerConfig.defaults(), ContentConfig.DEFAULTS,
                io.keel.ingest.ChunkScreen.NONE, TombstoneRetention.FOREVER, clock);
        keeping.apply(timed, List.of(DocumentEvent.delete("old", null, 5)));
        clock.advance(Duration.ofDays(3650));
        keeping.apply(timed, List.of(DocumentEvent.delete("other", null, 1)));

        assertThat(timed.document("old")).contains(IndexedDocument.tombstone("old", 5));
    }

    /** A second store on the same data directory whose tombstones are stamped by {@code clock}. */
    private CollectionIndex timedIndex(ManualClock clock) {
        store.close();
        store = new LuceneIndexStore(dataDir, StreamFixtures.embedder().info(), LuceneIndexConfig.DEFAULTS, clock);
        return store.collection("timed", true);
    }

    @Test
    void unchangedContentRecordsTheNewVersionWithoutReembedding() {
        apply(upsert("a", 1, "stable heronite text"));
        long before = index.info().version();

        AppliedBatch same = apply(upsert("a", 5, "stable heronite text"));
        assertThat(same.outcomes().getFirst().status()).isEqualTo(EventStatus.UNCHANGED);
        assertThat(same.indexVersion()).as("the version update is committed").isEqualTo(before + 1);
        assertThat(index.document("a")).get().extracting(IndexedDocument::version).isEqualTo(5L);

        AppliedBatch between = apply(upsert("a", 3, "a different egretite text"));
        assertThat(between.outcomes().getFirst().status()).as("older than the unchanged version 5").isEqualTo(EventStatus.STALE);
        assertThat(chunksByDocument(index, "heronite")).containsExactly(Map.entry("a", List.of("a#0")));
    }

    @Test
    void changedMetadataIsAChange() {
        apply(new DocumentEvent(DocumentEvent.Op.UPSERT, "a", null, 1, null, "ibisite text", null, null, null,
                "text/plain", Map.of("team", "red"), null, null));

        AppliedBatch changed = apply(new DocumentEvent(DocumentEvent.Op.UPSERT, "a", null, 2, null, "ibisite text", null,
                null, null, "text/plain", Map.of("team", "blue"), null, null));

        assertThat(changed.outcomes().getFirst().status()).isEqualTo(EventStatus.ACCEPTED);
        assertThat(search(index, "ibisite")).singleElement().extracting(hit -> hit.metadata().get("team")).isEqualTo("blue");
    }

    @Test
    void aLongDocumentIsChunkedAndAShorterRewriteLeavesNoStaleChunks() {
        AppliedBatch first = apply(upsert("long", 1, StreamFixtures.article("toucanite", 600)));
        int chunks = first.outcomes().getFirst().chunks();
        assertThat(chunks).isGreaterThan(3);
        assertThat(chunksByDocument(index, "toucanite").get("long")).hasSize(chunks);

        apply(upsert("long", 2, "now a single toucanite sentence."));

        assertThat(chunksByDocument(index, "toucanite")).containsExactly(Map.entry("long", List.of("long#0")));
        assertThat(index.info().chunks()).isEqualTo(1);
    }

    @Test
    void badEventsAreRejectedWithTheirReasonAndTheRestOfTheBatchApplies() {
        DocumentEvent otherCollection = DocumentEvent.upsert("x", "other", 1, "text", "text/plain");
        DocumentEvent outsidePath = new DocumentEvent(DocumentEvent.Op.UPSERT, "p", null, 1, null, null, null,
                "/etc/hostname", null, null, null, null, null);
        DocumentEvent url = new DocumentEvent(DocumentEvent.Op.UPSERT, "u", null, 1, null, null, "http://127.0.0.1:9/x",
                null, null, null, null, null, null);

        AppliedBatch batch = apply(otherCollection, outsidePath, url, upsert("ok", 1, "kiwiite fine"));

        assertThat(batch.outcomes()).extracting(EventOutcome::status).containsExactly(EventStatus.REJECTED,
                EventStatus.REJECTED, EventStatus.REJECTED, EventStatus.ACCEPTED);
        assertThat(batch.outcomes().get(0).reason()).contains("collection 'other'", "'kb'");
        assertThat(batch.outcomes().get(1).reason()).contains("outside streaming.content.allowed_paths");
        assertThat(batch.outcomes().get(2).reason()).contains("streaming.content.fetch_urls");
        assertThat(documentsMatching(index, "kiwiite")).containsExactly("ok");
        assertThat(index.document("x")).as("a rejected event leaves no trace").isEmpty();
    }

    @Test
    void pathEventsReadFilesUnderTheAllowedDirectoryWithTheirFormat() throws Exception {
        Path page = Files.writeString(files.resolve("guide.html"),
                "<html><head><title>Shipping guide</title></head><body><h1>Carriers</h1><p>We ship with kakapoite freight.</p></body></html>");
        DocumentEvent event = new DocumentEvent(DocumentEvent.Op.UPSERT, "guide", null, 1, Instant.parse("2026-01-01T00:00:00Z"),
                null, null, page.toString(), null, null, null, "acme", List.of("group:ops"));

        AppliedBatch batch = apply(event);

        assertThat(batch.outcomes().getFirst().status()).isEqualTo(EventStatus.ACCEPTED);
        assertThat(search(index, "kakapoite")).singleElement().satisfies(hit -> {
            assertThat(hit.title()).isEqualTo("Shipping guide");
            assertThat(hit.headingPath()).containsExactly("Carriers");
            assertThat(hit.source()).isEqualTo(page.toString());
        });
    }

    @Test
    void urlEventsAreFetchedWhenEnabled() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/kb/", exchange -> {
            boolean found = exchange.getRequestURI().getPath().equals("/kb/returns");
            byte[] body = (found ? "# Returns\n\nItems go back within xerusite days." : "no").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/markdown; charset=utf-8");
            exchange.sendResponseHeaders(found ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/kb/";
            EventApplier fetching = new EventApplier(StreamFixtures.embedder(), ChunkerConfig.defaults(),
                    ContentConfig.DEFAULTS.withFetchUrls(true));
            AppliedBatch batch = fetching.apply(index, List.of(
                    new DocumentEvent(DocumentEvent.Op.UPSERT, "returns", null, 1, null, null, base + "returns", null, null,
                            null, null, null, null),
                    new DocumentEvent(DocumentEvent.Op.UPSERT, "gone", null, 1, null, null, base + "gone", null, null,
                            null, null, null, null)));

            assertThat(batch.outcomes()).extracting(EventOutcome::status).containsExactly(EventStatus.ACCEPTED, EventStatus.REJECTED);
            assertThat(batch.outcomes().get(1).reason()).contains("answered HTTP 404");
            assertThat(search(index, "xerusite")).singleElement().satisfies(hit -> {
                assertThat(hit.title()).as("the server's content type selected the Markdown parser").isEqualTo("Returns");
                assertThat(hit.source()).isEqualTo(base + "returns");
            });
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aDocumentCutIntoMoreChunksThanTheLimitIsRejectedBeforeAnythingIsEmbedded() {
        EventApplier limited = new EventApplier(StreamFixtures.embedder(), ChunkerConfig.defaults(),
                ContentConfig.DEFAULTS.withLimits(1024 * 1024, 3));
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 12; i++) big.append("## Part ").append(i).append("\n\n").append(StreamFixtures.article("m" + i, 120)).append("\n\n");
        AppliedBatch batch = limited.apply(index, List.of(upsert("big", 1, big.toString()), upsert("small", 1, "# Small\n\nA small note.")));

        assertThat(batch.outcomes().get(0).status()).isEqualTo(EventStatus.REJECTED);
        assertThat(batch.outcomes().get(0).reason()).contains("more than streaming.content.max_chunks (3)");
        assertThat(batch.outcomes().get(1).status()).isEqualTo(EventStatus.ACCEPTED);
        assertThat(batch.chunksEmbedded()).isEqualTo(1);
        assertThat(index.document("big")).isEmpty();
    }

    @Test
    void contentLargerThanMaxBytesIsRejected() {
        EventApplier limited = new EventApplier(StreamFixtures.embedder(), ChunkerConfig.defaults(),
                ContentConfig.DEFAULTS.withLimits(100, 1000));
        AppliedBatch batch = limited.apply(index, List.of(upsert("long", 1, "x".repeat(101))));
        assertThat(batch.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(EventStatus.REJECTED);
            assertThat(o.reason()).contains("streaming.content.max_bytes (100 bytes)");
        });
    }

    @Test
    void theDefaultsBoundWhatOneDocumentCanCost() {
        assertThat(ContentConfig.DEFAULTS.maxBytes()).isEqualTo(1024 * 1024);
        assertThat(ContentConfig.DEFAULTS.maxChunks()).isEqualTo(1_000);
        assertThat(PushConfig.DEFAULTS.maxEvents()).isEqualTo(1_000);
        assertThat(PushConfig.DEFAULTS.maxQueuedEvents()).isGreaterThanOrEqualTo(PushConfig.DEFAULTS.maxEvents());
    }
}
