package io.keel.ingest.parse;

import io.keel.core.document.Document;

/**
 * Receives what a {@link DocumentParser} reads, in source order. Called on the parsing thread only.
 */
public interface DocumentSink {
    /**
     * Asked before a document is built, once its id and content hash are known; returning false skips it. Lets an
     * ingestion skip unchanged documents without paying for a full parse.
     */
    default boolean wants(String documentId, String contentHash) {
        return true;
    }

    /** A parsed document. */
    void accept(Document document);

    /**
     * A record inside a multi-record source (a JSONL line) could not be read; the parser goes on with the next one.
     *
     * @param location where, e.g. {@code corpus.jsonl:17}
     * @param reason   what was wrong, written for the person who has to fix it
     */
    default void rejected(String location, String reason) {
    }

    /** How many bytes of the current source have been consumed; lets long single files report progress. */
    default void position(long bytesRead) {
    }
}
