package io.keel.ingest;

/**
 * Observes an ingestion. Every method has an empty default, so a listener implements only what it shows. Methods
 * are called on the ingesting thread, must return quickly and must not throw.
 */
public interface ProgressListener {
    /** Does nothing. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** After each embedding batch and each finished file. */
    default void progress(IngestProgress progress) {
    }

    /** After each commit: everything written so far survives a crash. */
    default void committed(long indexVersion, long documentsWritten) {
    }

    /** A file, record or document failed; the ingestion goes on. */
    default void failed(IngestReport.Problem problem) {
    }
}
