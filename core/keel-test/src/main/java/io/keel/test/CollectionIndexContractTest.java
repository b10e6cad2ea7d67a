package io.keel.test;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexedDocument;
import io.keel.test.CollectionIndexReference.Entry;
import io.keel.test.CollectionIndexReference.RefChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviour every {@link IndexStore} backend owes Keel, in the manner of Lucene's {@code BaseKnnVectorsFormatTestCase}:
 * seeded random operations — upserts with and without versions, replacements, deletes and tombstones, version
 * updates, tombstone purges, commits and reopens — run against the backend and against
 * {@link CollectionIndexReference}, an in-memory model of the expected state, and after every commit the two are
 * compared: documents, versions, hashes, counts, chunk vectors, and searches in every retrieval mode under random
 * metadata filters (tenant, ACL, metadata terms). Dense search is held to the reference's exact brute-force search
 * with a recall tolerance ({@link #minimumRecall()}); a filter must never let a non-matching document through. A
 * second test reads while a writer commits; others check model-fingerprint refusal and bad input.
 *
 * <p>A backend module extends this class in its tests and says how to open its store (see docs/index.md). Each test
 * draws from a fresh seed, printed when it fails; {@code -Dkeel.seed=HEX} replays it. The {@link ManualClock} is the
 * store's clock: tombstone times come from it, and purges move it.
 *
 * <p>Longer than most classes on purpose: the random operations and the checks after each commit share the state of
 * one run (the store, the reference, the versions last committed, the recall tallies) and read as one suite; the
 * reference ({@link CollectionIndexReference}) and the random data ({@link CollectionIndexCorpus}) are classes of
 * their own.
 */
public abstract class CollectionIndexContractTest {
    protected static final int DIMS = 16;
    /** The model the collections are built with. */
    protected static final EmbeddingModelInfo MODEL = new EmbeddingModelInfo("contract-model", "c0".repeat(32), DIMS, 256);
    /** Another build of a model with the same dimensions: its fingerprint differs. */
    protected static final EmbeddingModelInfo OTHER_MODEL = new EmbeddingModelInfo("contract-model", "d1".repeat(32), DIMS, 256);
    protected static final String COLLECTION = "contract";

    private static final int IDS = CollectionIndexCorpus.IDS;

    @RegisterExtension
    protected final Seeds seeds = new Seeds();
    protected final ManualClock clock = new ManualClock();

    private IndexStore store;
    private CollectionIndex index;
    private CollectionIndexReference ref;
    private Random random;
    private CollectionIndexCorpus corpus;
    private boolean versions;
    private long lastVersion;
    private final Set<String> dirty = new HashSet<>();
    private long exactFound;
    private long exactTotal;
    private int staleRefused;
    private int purged;

    /**
     * Opens the store under test on this test's storage: the same storage every time within one test (a reopen must
     * see the last commit), fresh storage for each test.
     */
    protected abstract IndexStore openStore(EmbeddingModelInfo model, Clock clock);

    /** The least share of the exact top-k that dense search must return, over all dense searches of a run. */
    protected double minimumRecall() {
        return 0.9;
    }

    /** Random operations in {@link #randomizedOperationsMatchTheReferenceModel()}. */
    protected int operations() {
        return 400;
    }

    @AfterEach
    void closeContractStore() {
        if (store != null) store.close();
    }

    @Test
    void randomizedOperationsMatchTheReferenceModel() {
        random = seeds.random();
        corpus = new CollectionIndexCorpus(random, clock, DIMS);
        ref = new CollectionIndexReference();
        store = openStore(MODEL, clock);
        index = store.collection(COLLECTION, true);
        assertThat(store.collections()).contains(COLLECTION);
        versions = index.supportsVersions();
        lastVersion = index.info().version();
        for (int op = 0; op < operations(); op++) {
            clock.advance(Duration.ofMillis(1 + random.nextInt(30_000)));
            String id = "doc-" + random.nextInt(IDS);
            int r = random.nextInt(100);
            if (r < 40) upsert(id, versions && random.nextInt(4) > 0);
            else if (r < 52) delete(id, versions && random.nextInt(3) > 0);
            else if (r < 58 && versions) updateVersion(id);
            else if (r < 70) commitAndCheck();
            else if (r < 73) reopen();
            else if (r < 77 && versions) purgeTombstones();
            else upsert(id, false);
        }
        commitAndCheck();
        reopen();
        checkCommitted();
        assertThat(exactTotal).as("dense searches with an exact top-k to compare").isPositive();
        assertThat((double) exactFound / exactTotal).as("dense recall@k against exact search")
                .isGreaterThanOrEqualTo(minimumRecall());
        if (versions) {
            assertThat(staleRefused).as("stale deliveries recognised from the index's versions").isPositive();
            assertThat(purged).as("tombstones purged").isPositive();
        } else {
            assertThatThrownBy(() -> index.delete("doc-0", 1L)).isInstanceOf(KeelException.class)
                    .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_CAPABILITY);
        }
    }

    @Test
    void concurrentReadersSeeWholeCommits() throws Exception {
        random = seeds.random();
        corpus = new CollectionIndexCorpus(random, clock, DIMS);
        store = openStore(MODEL, clock);
        CollectionIndex shared = store.collection(COLLECTION, true);
        int docs = 10;
        int chunks = 3;
        int rounds = 25;
        corpus.writeGeneration(shared, 0, docs, chunks);
        shared.commit();
        java.util.concurrent.atomic.AtomicInteger committedGeneration = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong searches = new java.util.concurrent.atomic.AtomicLong();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Random own = new Random(seeds.seed() + 31L * (t + 1));
            readers.add(Thread.ofPlatform().name("contract-reader-" + t).start(() -> {
                try {
                    while (!done.get()) {
                        int before = committedGeneration.get();
                        RetrievalMode mode = RetrievalMode.values()[own.nextInt(RetrievalMode.values().length)];
                        List<SearchHit> hits = shared.search(new Query("common", 50, mode, Filters.NONE, COLLECTION),
                                CollectionIndexCorpus.randomUnit(own));
                        int after = committedGeneration.get();
                        assertThat(hits).as("every chunk of one commit").hasSize(docs * chunks);
                        Set<Integer> generations = hits.stream().map(h -> CollectionIndexCorpus.generationOf(h.text())).collect(Collectors.toSet());
                        assertThat(generations).as("one search sees one commit").hasSize(1);
                        assertThat(generations.iterator().next()).isBetween(before, after + 1);
                        searches.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (int g = 1; g <= rounds; g++) {
            corpus.writeGeneration(shared, g, docs, chunks);
            shared.commit();
            committedGeneration.set(g);
            Thread.sleep(2);
        }
        done.set(true);
        for (Thread t : readers) t.join(30_000);
        if (!failures.isEmpty()) throw new AssertionError("a reader failed: " + failures.getFirst(), failures.getFirst());
        assertThat(searches.get()).as("searches made while the writer committed").isPositive();
        assertThat(shared.info().chunks()).isEqualTo((long) docs * chunks);
    }

    @Test
    void aCollectionBuiltByOneModelIsRefusedByAnother() {
        random = seeds.random();
        corpus = new CollectionIndexCorpus(random, clock, DIMS);
        store = openStore(MODEL, clock);
        CollectionIndex built = store.collection(COLLECTION, true);
        for (int i = 0; i < 3; i++) {
            Document d = corpus.document("kept-" + i);
            built.upsert(d, List.of(corpus.chunk(d.id(), 0)), List.of(CollectionIndexCorpus.randomUnit(random)));
        }
        built.commit();
        store.close();
        store = null;
        EmbeddingModelInfo wider = new EmbeddingModelInfo(MODEL.id(), MODEL.checksum(), DIMS + 8, MODEL.maxTokens());
        for (EmbeddingModelInfo other : List.of(OTHER_MODEL, wider)) {
            try (IndexStore refusing = openStore(other, clock)) {
                assertThatThrownBy(() -> refusing.collection(COLLECTION, false)
                        .search(new Query("anything", 3, RetrievalMode.DENSE, Filters.NONE, COLLECTION), new float[other.dimensions()]))
                        .as("a collection built by %s opened with %s", MODEL.fingerprint(), other.fingerprint())
                        .isInstanceOf(ModelMismatchException.class);
            }
        }
        store = openStore(MODEL, clock);
        CollectionIndex reopened = store.collection(COLLECTION, false);
        assertThat(reopened.info().documents()).as("the refusal left the collection intact").isEqualTo(3);
        assertThat(reopened.info().embeddingModel()).isEqualTo(MODEL.fingerprint());
    }

    @Test
    void badWritesAreRefusedAndWriteNothing() {
        random = seeds.random();
        corpus = new CollectionIndexCorpus(random, clock, DIMS);
        store = openStore(MODEL, clock);
        CollectionIndex target = store.collection(COLLECTION, true);
        long version = target.commit();
        Document d = corpus.document("bad");
        assertInvalid(() -> target.upsert(d, List.of(corpus.chunk(d.id(), 0)), List.of(new float[DIMS - 1])));
        assertInvalid(() -> target.upsert(d, List.of(corpus.chunk(d.id(), 0), corpus.chunk(d.id(), 1)), List.of(CollectionIndexCorpus.randomUnit(random))));
        assertInvalid(() -> target.upsert(d, List.of(corpus.chunk("another", 0)), List.of(CollectionIndexCorpus.randomUnit(random))));
        assertInvalid(() -> target.search(new Query("q", 3, RetrievalMode.DENSE, Filters.NONE, COLLECTION), null));
        assertInvalid(() -> target.search(new Query("q", 3, RetrievalMode.HYBRID, Filters.NONE, COLLECTION), new float[DIMS + 1]));
        assertThat(target.commit()).as("nothing was written").isEqualTo(version);
        assertThat(target.info().documents()).isZero();
        assertThat(target.document("bad")).isEmpty();
    }

    /**
     * A query's {@code candidates} bound each ranked list a hybrid search fuses. "both" is fourth in the dense list and
     * fourth in the text list: with the index's default candidates (at least twenty, equal fusion weights) its two
     * middling ranks beat every document found high by one list only; with three candidates per list it is in neither
     * list, so it cannot be returned.
     */
    @Test
    void aQuerysCandidatesBoundTheListsAHybridSearchFuses() {
        random = seeds.random();
        corpus = new CollectionIndexCorpus(random, clock, DIMS);
        store = openStore(MODEL, clock);
        CollectionIndex target = store.collection(COLLECTION, true);
        float[] q = axis(0, 1);
        // dense ranks: near-1..3 (closest), both (4th), then the text documents (pointing away from the query)
        put(target, "near-1", "alpha beta", axis(0, 1));
        put(target, "near-2", "alpha gamma", axis(0, 0.95, 1, 0.05));
        put(target, "near-3", "alpha delta", axis(0, 0.9, 1, 0.1));
        put(target, "both", "zebra alpha beta gamma delta epsilon zeta", axis(0, 0.8, 1, 0.2));
        // text ranks for "zebra": text-1..3 (the word repeated, short), then both (once, in a long chunk)
        put(target, "text-1", "zebra zebra zebra", axis(2, 1));
        put(target, "text-2", "zebra zebra omega", axis(3, 1));
        put(target, "text-3", "zebra omega kappa", axis(4, 1));
        // between both and the text documents in the dense list, and without the word: the text documents' dense
        // ranks fall below the tenth, so their one good rank cannot outweigh both's two middling ones
        for (int i = 0; i < 10; i++) put(target, "filler-" + i, "omega kappa sigma", axis(0, 0.5, 5 + i % 8, 0.85));
        target.commit();

        List<String> wide = target.search(new Query("zebra", 3, RetrievalMode.HYBRID, Filters.NONE, COLLECTION), q)
                .stream().map(SearchHit::documentId).toList();
        assertThat(wide).as("default candidates").contains("both");
        List<String> narrow = target.search(new Query("zebra", 3, RetrievalMode.HYBRID, Filters.NONE, COLLECTION, 3), q)
                .stream().map(SearchHit::documentId).toList();
        assertThat(narrow).as("three candidates per list").hasSize(3).doesNotContain("both");
        List<String> dense = target.search(new Query("zebra", 3, RetrievalMode.DENSE, Filters.NONE, COLLECTION, 3), q)
                .stream().map(SearchHit::documentId).toList();
        assertThat(dense).containsExactly("near-1", "near-2", "near-3");
    }

    private void put(CollectionIndex target, String id, String text, float[] vector) {
        Document d = new Document(id, "", "test/" + id, "hash-" + id, clock.instant(), "text/plain", Map.of(), null, List.of(),
                List.of(io.keel.core.document.Block.paragraph(text)));
        target.upsert(d, List.of(new Chunk(Chunk.idOf(id, 0), id, 0, text, List.of(), text.split(" ").length)),
                List.of(CollectionIndexReference.unit(vector)));
    }

    /** A vector with the given (dimension, value) pairs set, the rest zero. */
    private static float[] axis(double... pairs) {
        float[] v = new float[DIMS];
        for (int i = 0; i < pairs.length; i += 2) v[(int) pairs[i]] = (float) pairs[i + 1];
        return v;
    }

    // ---- random operations -------------------------------------------------------------------------------------

    private void upsert(String id, boolean versioned) {
        Document d = corpus.document(id);
        int n = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
        List<Chunk> chunks = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<RefChunk> refChunks = new ArrayList<>();
        Entry current = ref.pending(id);
        for (int i = 0; i < n; i++) {
            Chunk c = corpus.chunk(id, i);
            float[] v = current != null && !current.chunks().isEmpty() && random.nextInt(4) == 0
                    ? corpus.perturb(current.chunks().getFirst().vector(), 0.05) : CollectionIndexCorpus.randomUnit(random);
            chunks.add(c);
            vectors.add(v);
            refChunks.add(new RefChunk(c, d.title(), CollectionIndexReference.unit(v)));
        }
        if (!versioned) {
            index.upsert(d, chunks, vectors);
            ref.put(id, Entry.live(d, refChunks, IndexedDocument.NO_VERSION));
        } else {
            long v = nextVersion(id);
            if (stale(id, v)) return;
            index.upsert(d, chunks, vectors, v);
            ref.put(id, Entry.live(d, refChunks, v));
        }
        dirty.add(id);
    }

    private void delete(String id, boolean versioned) {
        if (!versioned) {
            index.delete(id);
            ref.remove(id);
        } else {
            long v = nextVersion(id);
            if (stale(id, v)) return;
            index.delete(id, v);
            ref.put(id, Entry.tombstone(v, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        }
        dirty.add(id);
    }

    private void updateVersion(String id) {
        Entry current = ref.pending(id);
        if (current == null) {
            index.updateVersion(id, 1 + random.nextInt(100));
            ref.touch();
            return;
        }
        long v = nextVersion(id);
        if (stale(id, v)) return;
        index.updateVersion(id, v);
        ref.put(id, new Entry(current.document(), current.chunks(), v, current.deletedAt()));
        dirty.add(id);
    }

    /** A version near the current one: sometimes older or equal, so stale deliveries happen. */
    private long nextVersion(String id) {
        Entry current = ref.pending(id);
        long base = current == null || current.version() == IndexedDocument.NO_VERSION ? 0 : current.version();
        return Math.max(1, base + random.nextInt(5) - 1);
    }

    /**
     * Whether a delivery of {@code version} is stale, decided the way a streaming source decides it: from what the
     * index reports for the id (for an id written since the last commit, from the writes the source made).
     */
    private boolean stale(String id, long version) {
        Entry current = ref.pending(id);
        long known;
        if (dirty.contains(id)) {
            known = current == null ? IndexedDocument.NO_VERSION : current.version();
        } else {
            Optional<IndexedDocument> reported = index.document(id);
            assertThat(reported).as("document(%s) before a delivery", id).isEqualTo(expected(id, ref.committed(id)));
            known = reported.map(IndexedDocument::version).orElse(IndexedDocument.NO_VERSION);
        }
        boolean stale = known != IndexedDocument.NO_VERSION && version <= known;
        if (stale) staleRefused++;
        return stale;
    }

    private void purgeTombstones() {
        if (ref.anyWrite()) commitAndCheck();
        Instant cutoff = clock.instant().minus(Duration.ofSeconds(10 + random.nextInt(600)));
        List<String> old = new ArrayList<>();
        ref.committedEntries().forEach((id, e) -> {
            if (e.deleted() && e.deletedAt().toEpochMilli() < cutoff.toEpochMilli()) old.add(id);
        });
        assertThat(index.purgeTombstones(cutoff)).as("tombstones deleted before %s", cutoff).isEqualTo(old.size());
        for (String id : old) {
            ref.remove(id);
            dirty.add(id);
        }
        purged += old.size();
        commitAndCheck();
    }

    private void reopen() {
        store.close();
        store = openStore(MODEL, clock);
        index = store.collection(COLLECTION, false);
        ref.discardPending();
        dirty.clear();
        assertThat(index.info().version()).as("a reopened collection is at its last commit").isEqualTo(lastVersion);
    }

    private void commitAndCheck() {
        long v = index.commit();
        if (ref.contentWritten()) assertThat(v).as("a commit of new content raises the version by one").isEqualTo(lastVersion + 1);
        else if (!ref.anyWrite()) assertThat(v).as("a commit without writes keeps the version").isEqualTo(lastVersion);
        else assertThat(v).isGreaterThanOrEqualTo(lastVersion);
        lastVersion = v;
        ref.commit();
        dirty.clear();
        checkCommitted();
        for (int q = 0; q < 6; q++) searchAndCompare();
    }

    // ---- comparing with the reference ------------------------------------------------------------------------

    private void checkCommitted() {
        long documents = 0;
        long chunks = 0;
        for (String id : ref.everWritten()) {
            Entry e = ref.committed(id);
            assertThat(index.document(id)).as("document(%s)", id).isEqualTo(expected(id, e));
            boolean live = e != null && !e.deleted();
            assertThat(index.contentHash(id)).as("contentHash(%s)", id)
                    .isEqualTo(live ? Optional.of(e.document().contentHash()) : Optional.empty());
            if (live) {
                documents++;
                chunks += e.chunks().size();
            }
        }
        assertThat(index.documentHashes("")).isEqualTo(ref.hashes(""));
        assertThat(index.documentHashes("src/a/")).isEqualTo(ref.hashes("src/a/"));
        IndexInfo info = index.info();
        assertThat(info.documents()).as("live documents").isEqualTo(documents);
        assertThat(info.chunks()).as("live chunks").isEqualTo(chunks);
        assertThat(info.version()).isEqualTo(lastVersion);
        assertThat(info.embeddingModel()).isEqualTo(MODEL.fingerprint());
        List<String> live = ref.committedEntries().entrySet().stream().filter(e -> !e.getValue().deleted()).map(Map.Entry::getKey).toList();
        for (int i = 0; i < Math.min(5, live.size()); i++) {
            String id = live.get(random.nextInt(live.size()));
            checkChunkVectors(id, ref.committed(id));
        }
        checkCentroid();
    }

    private void checkChunkVectors(String id, Entry e) {
        Map<String, float[]> got = index.chunkVectors(id);
        assertThat(got.keySet()).as("chunkVectors(%s) keys", id)
                .isEqualTo(e.chunks().stream().map(RefChunk::embeddingText).collect(Collectors.toSet()));
        for (RefChunk c : e.chunks()) {
            float[] v = got.get(c.embeddingText());
            for (int i = 0; i < DIMS; i++) assertThat(v[i]).as("chunkVectors(%s)[%d]", id, i).isCloseTo(c.vector()[i], within(1e-5f));
        }
    }

    private void checkCentroid() {
        Map<String, RefChunk> chunks = ref.liveChunks();
        Optional<float[]> centroid = index.vectorCentroid();
        if (chunks.isEmpty()) {
            assertThat(centroid).as("the centroid of no vectors").isEmpty();
            return;
        }
        if (centroid.isEmpty()) return;
        double[] mean = new double[DIMS];
        for (RefChunk c : chunks.values()) for (int i = 0; i < DIMS; i++) mean[i] += c.vector()[i] / chunks.size();
        for (int i = 0; i < DIMS; i++) assertThat((double) centroid.get()[i]).as("centroid[%d]", i).isCloseTo(mean[i], within(1e-4));
    }

    private void searchAndCompare() {
        Filters filters = corpus.randomFilters();
        int k = 1 + random.nextInt(20);
        List<RefChunk> matching = ref.matching(filters);
        Map<String, RefChunk> live = ref.liveChunks();

        float[] vector = !live.isEmpty() && random.nextInt(3) == 0
                ? corpus.perturb(new ArrayList<>(live.values()).get(random.nextInt(live.size())).vector(), 0.1) : CollectionIndexCorpus.randomUnit(random);
        List<SearchHit> dense = search(RetrievalMode.DENSE, "dense", k, filters, vector);
        List<RefChunk> exact = ref.exactDense(vector, filters, k);
        assertThat(dense).as("dense hits with filters %s", filters.terms()).hasSize(exact.size());
        Set<String> exactIds = exact.stream().map(c -> c.chunk().id()).collect(Collectors.toSet());
        exactFound += dense.stream().filter(h -> exactIds.contains(h.chunkId())).count();
        exactTotal += exact.size();

        Set<String> words = new HashSet<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) words.add("w" + random.nextInt(CollectionIndexCorpus.VOCABULARY));
        String text = String.join(" ", words);
        List<SearchHit> bm25 = search(RetrievalMode.BM25, text, k, filters, null);
        long containing = matching.stream().filter(c -> c.words().stream().anyMatch(words::contains)).count();
        assertThat(bm25).as("bm25 hits for '%s' with filters %s", text, filters.terms()).hasSize((int) Math.min(k, containing));
        for (SearchHit h : bm25) {
            assertThat(live.get(h.chunkId()).words()).as("bm25 hit %s for '%s'", h.chunkId(), text).containsAnyElementsOf(words);
        }

        List<SearchHit> hybrid = search(RetrievalMode.HYBRID, text, k, filters, vector);
        assertThat(hybrid).as("hybrid hits with filters %s", filters.terms()).hasSize(Math.min(k, matching.size()));

        if (corpus.serial() > 0) {
            String token = "u" + random.nextInt(corpus.serial());
            List<String> owner = matching.stream().filter(c -> c.words().contains(token)).map(c -> c.chunk().id()).toList();
            assertThat(search(RetrievalMode.BM25, token, 5, filters, null)).extracting(SearchHit::chunkId)
                    .as("the one chunk holding '%s'", token).isEqualTo(owner);
        }
        if (!matching.isEmpty()) {
            RefChunk target = matching.get(random.nextInt(matching.size()));
            String token = target.chunk().text().split(" ")[0];
            List<SearchHit> found = search(RetrievalMode.HYBRID, token, 3, filters, target.vector());
            assertThat(found.getFirst().chunkId()).as("hybrid search for a chunk's own vector and word").isEqualTo(target.chunk().id());
        }
    }

    /** Searches and checks what holds for every hit: live, current, unique, ranked, and passing the filters. */
    private List<SearchHit> search(RetrievalMode mode, String text, int k, Filters filters, float[] vector) {
        List<SearchHit> hits = index.search(new Query(text, k, mode, filters, COLLECTION), vector);
        Map<String, RefChunk> live = ref.liveChunks();
        assertThat(hits.size()).as("%s hits", mode).isLessThanOrEqualTo(k);
        assertThat(hits.stream().map(SearchHit::chunkId).distinct().count()).as("%s hits are distinct", mode).isEqualTo(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            RefChunk c = live.get(h.chunkId());
            assertThat(c).as("%s hit %s is a live chunk of the last commit", mode, h.chunkId()).isNotNull();
            assertThat(h.documentId()).isEqualTo(c.chunk().documentId());
            assertThat(h.text()).as("%s hit %s has its current text", mode, h.chunkId()).isEqualTo(c.chunk().text());
            Document d = ref.documentOf(h.documentId());
            assertThat(CollectionIndexReference.matches(d, filters))
                    .as("%s hit %s (tenant %s, acl %s, metadata %s) passes filters %s", mode, h.chunkId(), d.tenant(), d.acl(),
                            d.metadata(), filters.terms()).isTrue();
            if (i > 0) assertThat(h.score()).as("%s hits are ranked", mode).isLessThanOrEqualTo(hits.get(i - 1).score());
        }
        return hits;
    }

    private Optional<IndexedDocument> expected(String id, Entry e) {
        if (e == null) return Optional.empty();
        if (!versions) return e.deleted() ? Optional.empty() : Optional.of(IndexedDocument.live(id, e.document().contentHash(), IndexedDocument.NO_VERSION));
        return Optional.of(e.expected(id));
    }

    private static void assertInvalid(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(KeelException.class)
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
