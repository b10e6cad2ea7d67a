package io.keel.stream;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.IndexedDocument;
import io.keel.ingest.ChunkScreen;
import io.keel.ingest.ChunkVectors;
import io.keel.ingest.chunk.Chunker;
import io.keel.ingest.chunk.ChunkerConfig;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Applies batches of {@link DocumentEvent}s to a collection so that applying the same events again, in any order of
 * redelivery, leaves the index as applying them once in version order would.
 *
 * <ul>
 *   <li><b>Order:</b> per document id, an event applies only when its version is greater than the version the index
 *       holds for the id, whether as a document or as the tombstone of a delete; within a batch the events of one id
 *       are taken in input order against the state the earlier ones left. Anything else is {@link EventStatus#STALE}.</li>
 *   <li><b>Content:</b> an upsert whose content hash (text, title, media type, metadata, tenant, ACL, source) equals
 *       the indexed one records the new version and is {@link EventStatus#UNCHANGED}: nothing is parsed or
 *       embedded. An upsert that changes part of a document embeds only the chunks whose embedding text the indexed
 *       document did not have; the others keep their vectors ({@link CollectionIndex#chunkVectors}).</li>
 *   <li><b>Deletes</b> remove the document and leave a tombstone carrying the version.</li>
 *   <li><b>Atomicity:</b> all chunks of a batch that need embedding are embedded together and the batch ends with
 *       exactly one {@link CollectionIndex#commit()}; its changes become durable and searchable at once.</li>
 * </ul>
 *
 * <p>Thread-safe. Batches for the same collection index are applied one at a time (a lock per index instance), so
 * several sources (Kafka consumers, HTTP push) must share one applier to keep the version check race-free.
 */
public final class EventApplier {
    private static final System.Logger LOG = System.getLogger(EventApplier.class.getName());
    private final Embedder embedder;
    private final Chunker chunker;
    private final ChunkScreen screen;
    private final List<BatchObserver> observers = new CopyOnWriteArrayList<>();
    private final ContentLoader loader;
    private final int maxChunks;
    private final ContentParser parser = new ContentParser();
    private final TombstoneRetention tombstones;
    private final java.time.Clock clock;
    /** When each index was last purged of old tombstones (the clock's millis), guarded by that index's lock. */
    private final Map<CollectionIndex, Long> lastPurge = Collections.synchronizedMap(new WeakHashMap<>());
    /** One lock per index instance; weak, so a closed and dropped index takes its lock with it. */
    private final Map<CollectionIndex, ReentrantLock> locks = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param embedder the collection's embedding model
     * @param chunking how documents are cut, as for batch ingestion
     * @param content  where content may come from besides inline text
     */
    public EventApplier(Embedder embedder, ChunkerConfig chunking, ContentConfig content) {
        this(embedder, chunking, content, ChunkScreen.NONE);
    }

    /**
     * @param screen decides per chunk whether it is indexed or quarantined, as for batch ingestion: pushed and
     *               streamed documents get the same indirect-injection screening as ingested files
     */
    public EventApplier(Embedder embedder, ChunkerConfig chunking, ContentConfig content, ChunkScreen screen) {
        this(embedder, chunking, content, screen, TombstoneRetention.DEFAULTS);
    }

    /** @param tombstones how long versioned deletes are remembered, see {@link TombstoneRetention} */
    public EventApplier(Embedder embedder, ChunkerConfig chunking, ContentConfig content, ChunkScreen screen,
                        TombstoneRetention tombstones) {
        this(embedder, chunking, content, screen, tombstones, java.time.Clock.systemUTC());
    }

    /**
     * @param clock the time of batches, of documents whose event carries none, and against which tombstone retention
     *              is measured; the index stamps its tombstones from the same clock
     */
    public EventApplier(Embedder embedder, ChunkerConfig chunking, ContentConfig content, ChunkScreen screen,
                        TombstoneRetention tombstones, java.time.Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tombstones = Objects.requireNonNull(tombstones, "tombstones");
        this.screen = Objects.requireNonNull(screen, "screen");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.chunker = new Chunker(embedder.tokenCounter(), Objects.requireNonNull(chunking, "chunking"));
        this.loader = new ContentLoader(Objects.requireNonNull(content, "content"));
        this.maxChunks = content.maxChunks();
    }

    /** Default chunking, inline content only. */
    public EventApplier(Embedder embedder) {
        this(embedder, ChunkerConfig.defaults(), ContentConfig.DEFAULTS);
    }

    /**
     * Applies {@code events} in order and commits once. Per-event problems (invalid content, unreadable path, a
     * different collection) become {@link EventStatus#REJECTED} outcomes; a failure of the embedder or the index
     * throws, and then nothing of the batch is acknowledged: the caller redelivers it, which is safe.
     *
     * @param index  the collection; events naming another collection are rejected
     * @param events the batch, possibly empty
     * @throws KeelException {@link ErrorCode#UNSUPPORTED_CAPABILITY} when the index records no versions
     */
    public AppliedBatch apply(CollectionIndex index, List<DocumentEvent> events) {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(events, "events");
        if (!index.supportsVersions()) {
            throw new KeelException(ErrorCode.UNSUPPORTED_CAPABILITY, "collection '" + index.name()
                    + "' is held by an index that records no document versions; streaming updates need one that does");
        }
        ReentrantLock lock = locks.computeIfAbsent(index, i -> new ReentrantLock());
        long start = System.nanoTime();
        lock.lock();
        try {
            AppliedBatch batch = applyLocked(index, events);
            notify(o -> o.applied(index.name(), batch, System.nanoTime() - start));
            return batch;
        } catch (RuntimeException e) {
            notify(o -> o.failed(index.name(), events.size(), e, System.nanoTime() - start));
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Sees every batch, applied or failed, e.g. to write it to the request log. Exceptions it throws are ignored. */
    @FunctionalInterface
    public interface BatchObserver {
        void applied(String collection, AppliedBatch batch, long nanos);

        /** A batch that failed as a whole and will be redelivered; ignored unless overridden. */
        default void failed(String collection, int events, Throwable error, long nanos) {
        }
    }

    /** Adds {@code o} to the observers of every later batch (e.g. the request log and the metrics). */
    public void observe(BatchObserver o) {
        observers.add(Objects.requireNonNull(o, "observer"));
    }

    private void notify(java.util.function.Consumer<BatchObserver> call) {
        for (BatchObserver o : observers) {
            try {
                call.accept(o);
            } catch (RuntimeException ignored) {
                // observers must not fail a batch
            }
        }
    }

    /** The last write per id of one batch. */
    private sealed interface Write {
        long version();
    }

    /** {@code indexed}: the last commit holds a live copy of the document, whose chunk vectors may be reused. */
    private record Upsert(Document document, List<Chunk> chunks, long version, boolean indexed) implements Write {
        Upsert withVersion(long newVersion) {
            return new Upsert(document, chunks, newVersion, indexed);
        }
    }

    private record Delete(long version) implements Write {
    }

    private record Touch(long version) implements Write {
    }

    private AppliedBatch applyLocked(CollectionIndex index, List<DocumentEvent> events) {
        Map<String, Optional<IndexedDocument>> state = new HashMap<>();
        Map<String, Write> writes = new LinkedHashMap<>();
        List<EventOutcome> outcomes = new ArrayList<>(events.size());
        for (DocumentEvent event : events) {
            outcomes.add(decide(index, event, state, writes));
        }
        purgeTombstonesIfDue(index);
        ChunkVectors.Result vectors = write(index, writes);
        long version = index.commit();
        return new AppliedBatch(outcomes, version, clock.instant(), vectors.embedded(), vectors.reused());
    }

    /** Purges tombstones past their retention with this batch's commit, at most once per purge interval. */
    private void purgeTombstonesIfDue(CollectionIndex index) {
        if (tombstones.keepsForever()) return;
        long now = clock.millis();
        Long last = lastPurge.get(index);
        if (last != null && now - last < tombstones.purgeInterval().toMillis()) return;
        lastPurge.put(index, now);
        int purged = index.purgeTombstones(clock.instant().minus(tombstones.retention()));
        if (purged > 0) {
            LOG.log(System.Logger.Level.INFO, "collection ''{0}'': purging {1} tombstone(s) of deletes older than {2}",
                    index.name(), purged, tombstones.retention());
        }
    }

    private EventOutcome decide(CollectionIndex index, DocumentEvent event, Map<String, Optional<IndexedDocument>> state,
                                Map<String, Write> writes) {
        if (event.collection() != null && !event.collection().equals(index.name())) {
            return EventOutcome.rejected(event.id(), event.version(), "the event is for collection '" + event.collection()
                    + "' but was delivered to '" + index.name() + "'");
        }
        String id = event.id();
        Optional<IndexedDocument> current = state.computeIfAbsent(id, index::document);
        if (current.isPresent() && current.get().versioned() && event.version() <= current.get().version()) {
            IndexedDocument held = current.get();
            return EventOutcome.stale(event, "version " + event.version() + " is not newer than the "
                    + (held.deleted() ? "delete" : "document") + " at version " + held.version());
        }
        if (event.isDelete()) {
            writes.put(id, new Delete(event.version()));
            state.put(id, Optional.of(IndexedDocument.tombstone(id, event.version())));
            return EventOutcome.accepted(event, 0);
        }
        Document document;
        try {
            ContentLoader.Loaded content = loader.load(event);
            String hash = hash(event, content);
            if (current.isPresent() && !current.get().deleted() && current.get().contentHash().equals(hash)) {
                Write pending = writes.get(id);
                writes.put(id, pending instanceof Upsert u ? u.withVersion(event.version()) : new Touch(event.version()));
                state.put(id, Optional.of(IndexedDocument.live(id, hash, event.version())));
                return EventOutcome.unchanged(event);
            }
            ContentParser.Parsed parsed = parser.parse(content.bytes(), content.mediaType());
            String title = event.title() != null ? event.title().strip() : parsed.title();
            Instant modified = event.eventTime() != null ? event.eventTime() : clock.instant();
            document = new Document(id, title, content.source(), hash, modified, content.mediaType(), event.metadata(),
                    event.tenant(), event.acl(), parsed.blocks());
            List<Chunk> cut = chunker.chunk(document);
            if (cut.size() > maxChunks) {
                return EventOutcome.rejected(id, event.version(), "the document is cut into " + cut.size()
                        + " chunks, more than " + ContentConfig.PREFIX + "max_chunks (" + maxChunks + "); split it into "
                        + "several documents");
            }
            List<Chunk> chunks = new ArrayList<>();
            List<String> held = new ArrayList<>();
            for (Chunk c : cut) {
                Optional<String> why = screen.quarantine(index.name(), c);
                if (why.isPresent()) held.add("chunk " + c.ordinal() + " " + why.get());
                else chunks.add(c);
            }
            writes.put(id, new Upsert(document, chunks, event.version(), committedLive(index, id, state, writes)));
            state.put(id, Optional.of(IndexedDocument.live(id, hash, event.version())));
            return held.isEmpty() ? EventOutcome.accepted(event, chunks.size())
                    : EventOutcome.accepted(event, chunks.size(), String.join("; ", held));
        } catch (KeelException e) {
            if (e.code().retryable()) throw e;
            return EventOutcome.rejected(id, event.version(), e.getMessage());
        } catch (RuntimeException e) {
            // A document the parsers or the chunker cannot handle fails the same way on every delivery.
            return EventOutcome.rejected(id, event.version(), "the document cannot be processed: " + e);
        }
    }

    /**
     * Whether the last commit holds a live copy of {@code id}: true unless the batch's first look at the id found
     * nothing or a tombstone. {@code state} holds what the batch has decided so far, so an earlier event of the batch
     * that wrote the id is looked through to the commit.
     */
    private static boolean committedLive(CollectionIndex index, String id, Map<String, Optional<IndexedDocument>> state,
                                         Map<String, Write> writes) {
        if (!writes.containsKey(id)) {
            Optional<IndexedDocument> current = state.get(id);
            return current != null && current.isPresent() && !current.get().deleted();
        }
        return writes.get(id) instanceof Upsert u ? u.indexed()
                : index.document(id).filter(d -> !d.deleted()).isPresent();
    }

    /**
     * Embeds, in one call, every chunk of the batch whose embedding text its document's indexed copy did not have,
     * then writes each id's last state.
     */
    private ChunkVectors.Result write(CollectionIndex index, Map<String, Write> writes) {
        List<ChunkVectors.Item> items = new ArrayList<>();
        for (Write w : writes.values()) {
            if (w instanceof Upsert u) items.add(new ChunkVectors.Item(u.document(), u.chunks(), u.indexed()));
        }
        ChunkVectors.Result vectors = ChunkVectors.of(items, index, embedder, Integer.MAX_VALUE);
        int next = 0;
        for (var e : writes.entrySet()) {
            switch (e.getValue()) {
                case Upsert u -> index.upsert(u.document(), u.chunks(), vectors.vectors().get(next++), u.version());
                case Delete d -> index.delete(e.getKey(), d.version());
                case Touch t -> index.updateVersion(e.getKey(), t.version());
            }
        }
        return vectors;
    }

    /** SHA-256 over everything an upsert writes: equal hashes mean the indexed document would not change. */
    static String hash(DocumentEvent event, ContentLoader.Loaded content) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(content.bytes().length + 256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(content.bytes().length);
            out.write(content.bytes());
            field(out, content.mediaType());
            field(out, content.source());
            field(out, event.title());
            field(out, event.tenant());
            out.writeInt(event.acl().size());
            for (String p : event.acl()) field(out, p);
            Map<String, String> metadata = new TreeMap<>(event.metadata());
            out.writeInt(metadata.size());
            for (var e : metadata.entrySet()) {
                field(out, e.getKey());
                field(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    private static void field(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeBoolean(false);
        } else {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeBoolean(true);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }
}
