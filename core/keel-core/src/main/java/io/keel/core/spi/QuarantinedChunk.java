package io.keel.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A chunk held back at ingestion (never embedded or indexed), with why.
 *
 * @param id          its id in the quarantine list (0 before it is stored)
 * @param collection  the collection it was going to
 * @param documentId  its document; the document's other chunks are indexed and stay retrievable
 * @param ordinal     its position in the document
 * @param reason      why it was held back, e.g. {@code quarantined: prompt-injection pattern (score 0.97)}
 * @param text        its text, for review
 * @param at          when it was held back (the last time, if the document was ingested again)
 */
public record QuarantinedChunk(long id, String collection, String documentId, int ordinal, String reason, String text,
                               Instant at) {
    public QuarantinedChunk {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
