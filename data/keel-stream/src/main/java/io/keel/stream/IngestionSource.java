package io.keel.stream;

/** A running producer of document events whose progress {@code GET /v1/ingestion/status} reports. */
public interface IngestionSource {
    /** The current state; cheap and thread-safe (sources answer from a snapshot, not by asking a broker). */
    SourceStatus status();
}
