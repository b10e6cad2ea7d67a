package io.keel.app;

import io.keel.core.document.Chunk;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditLog;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.ExportedDocument;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.QuarantineStore;
import io.keel.core.spi.QuarantinedChunk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts a reviewed quarantined chunk into the index: the chunk is embedded and written into its document beside the
 * chunks already indexed (one upsert, one commit), it leaves the quarantine list, the ingestion screen lets the same
 * text at the same position through from then on, and the release is audited ({@code quarantine.released}).
 */
public final class QuarantineRelease {
    private final QuarantineStore store;
    private final IndexStore indexes;
    private final Embedder embedder;
    private final AuditLog audit;
    private final Clock clock;

    public QuarantineRelease(QuarantineStore store, IndexStore indexes, Embedder embedder, AuditLog audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.indexes = Objects.requireNonNull(indexes, "indexes");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Releases entry {@code id}.
     *
     * @return the released chunk
     * @throws KeelException 404 when there is no such entry or its document is gone, 409 when it was released already
     *                       or the document now has another chunk at its position (it changed since: ingest it again)
     */
    public QuarantinedChunk release(long id, AuditActor actor) {
        QuarantinedChunk q = store.find(id).orElseThrow(() -> KeelException.notFound("no quarantined chunk " + id));
        if (store.released(q.collection(), q.documentId(), q.ordinal(), q.text())) {
            throw new KeelException(ErrorCode.CONFLICT, "quarantined chunk " + id + " was released already");
        }
        CollectionIndex index = indexes.collection(q.collection(), false);
        ExportedDocument doc = find(index, q.documentId());
        if (doc == null) {
            throw KeelException.notFound("document '" + q.documentId() + "' is no longer in collection '" + q.collection()
                    + "'; the chunk is indexed when the document is ingested again");
        }
        if (doc.chunks().stream().anyMatch(c -> c.ordinal() == q.ordinal())) {
            throw new KeelException(ErrorCode.CONFLICT, "document '" + q.documentId() + "' has another chunk at position "
                    + q.ordinal() + " now (it changed since the chunk was held back); ingest it again instead");
        }
        Chunk released = new Chunk(Chunk.idOf(q.documentId(), q.ordinal()), q.documentId(), q.ordinal(), q.text(), List.of(),
                embedder.tokenCounter().countTokens(q.text()));
        float[] vector = embedder.embedAll(List.of(q.text())).getFirst();
        List<Integer> order = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>(doc.chunks());
        List<float[]> vectors = new ArrayList<>(doc.vectors());
        chunks.add(released);
        vectors.add(vector);
        for (int i = 0; i < chunks.size(); i++) order.add(i);
        order.sort(Comparator.comparingInt(i -> chunks.get(i).ordinal()));
        List<Chunk> sortedChunks = order.stream().map(chunks::get).toList();
        List<float[]> sortedVectors = order.stream().map(vectors::get).toList();
        if (doc.state().versioned()) index.upsert(doc.document(), sortedChunks, sortedVectors, doc.state().version());
        else index.upsert(doc.document(), sortedChunks, sortedVectors);
        index.commit();
        store.release(id, actor.id(), clock.instant());
        audit.append(AuditEvent.of(actor, AuditEvent.QUARANTINE_RELEASED, "quarantine:" + id,
                Map.of("collection", q.collection(), "document", q.documentId(), "ordinal", q.ordinal(), "reason", q.reason())));
        return q;
    }

    private static ExportedDocument find(CollectionIndex index, String documentId) {
        AtomicReference<ExportedDocument> found = new AtomicReference<>();
        index.export(d -> {
            if (found.get() == null && d.state().id().equals(documentId) && !d.state().deleted()) found.set(d);
        });
        return found.get();
    }
}
