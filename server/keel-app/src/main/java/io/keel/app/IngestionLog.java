package io.keel.app;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;
import io.keel.ingest.IngestReport;
import io.keel.stream.AppliedBatch;
import io.keel.stream.EventApplier;
import io.keel.stream.EventStatus;

import java.util.Map;

/**
 * Ingestion in the request log: one record per batch — a {@code keel ingest} run ({@code ingest:batch}) or an applied
 * batch of pushed or streamed events ({@code ingest:stream}) — with its outcome counts as the "answer", the index
 * version it produced, and its wall time.
 */
final class IngestionLog implements EventApplier.BatchObserver {
    static final String ROUTE_BATCH = "ingest:batch";
    static final String ROUTE_STREAM = "ingest:stream";

    private final RequestLog log;
    private final EmbeddingModelInfo model;

    IngestionLog(RequestLog log, EmbeddingModelInfo model) {
        this.log = log;
        this.model = model;
    }

    @Override
    public void applied(String collection, AppliedBatch batch, long nanos) {
        String summary = String.format(java.util.Locale.ROOT, "%d events: %d accepted, %d unchanged, %d stale, %d rejected; "
                        + "%d chunks embedded, %d vectors reused", batch.outcomes().size(), batch.count(EventStatus.ACCEPTED),
                batch.count(EventStatus.UNCHANGED), batch.count(EventStatus.STALE), batch.count(EventStatus.REJECTED),
                batch.chunksEmbedded(), batch.vectorsReused());
        write(RequestRecord.builder(Keel.newId("ing"), ROUTE_STREAM).answer(summary)
                .lineage(lineage(collection + "@" + batch.indexVersion())).timings(total(nanos)));
    }

    @Override
    public void failed(String collection, int events, Throwable error, long nanos) {
        failed(ROUTE_STREAM, collection, error, nanos);
    }

    /** A finished {@code keel ingest} run. */
    void ingested(String collection, IngestReport r, long nanos) {
        String summary = String.format(java.util.Locale.ROOT, "%d added, %d updated, %d unchanged, %d deleted, %d failed, "
                        + "%d unsupported, %d chunks quarantined, %d chunks written (%d with reused vectors)", r.added(),
                r.updated(), r.unchanged(), r.deleted(), r.failed().size(), r.skipped().size(), r.quarantined().size(),
                r.chunksWritten(), r.vectorsReused());
        write(RequestRecord.builder(Keel.newId("ing"), ROUTE_BATCH).answer(summary)
                .lineage(lineage(collection + "@" + r.indexVersion())).timings(total(nanos)));
    }

    void failed(String route, String collection, Throwable error, long nanos) {
        String status = error instanceof KeelException k ? k.code().wireName() : ErrorCode.INTERNAL.wireName();
        try {
            log.record(RequestRecord.builder(Keel.newId("ing"), route).failed(status, "collection '" + collection + "': " + error.getMessage())
                    .timings(total(nanos)).build());
        } catch (RuntimeException ignored) {
            // the log must not turn an ingestion failure into another one
        }
    }

    private Lineage lineage(String indexVersion) {
        return Lineage.of(model.fingerprint(), indexVersion, "ingest", "none", Map.of());
    }

    private void write(RequestRecord.Builder b) {
        try {
            log.record(b.build());
        } catch (RuntimeException ignored) {
            // the log must not fail an ingestion that succeeded
        }
    }

    private static Timings total(long nanos) {
        return new Timings(Map.of(Timings.TOTAL, nanos));
    }
}
