package io.keel.stream;

import java.util.Objects;

/**
 * The result of one event.
 *
 * @param id      the document id; {@code null} when the event was too malformed to have one
 * @param version the event's version; {@code -1} when it has none
 * @param status  what happened
 * @param reason  why it was stale or rejected; for an accepted upsert, which chunks were quarantined (or null)
 * @param chunks  chunks written for an accepted upsert, 0 otherwise
 */
public record EventOutcome(String id, long version, EventStatus status, String reason, int chunks) {
    public EventOutcome {
        Objects.requireNonNull(status, "status");
    }

    public static EventOutcome accepted(DocumentEvent event, int chunks) {
        return new EventOutcome(event.id(), event.version(), EventStatus.ACCEPTED, null, chunks);
    }

    /** Accepted, with some chunks held back by the ingestion screen (e.g. planted prompt injections). */
    public static EventOutcome accepted(DocumentEvent event, int chunks, String quarantined) {
        return new EventOutcome(event.id(), event.version(), EventStatus.ACCEPTED, quarantined, chunks);
    }

    public static EventOutcome unchanged(DocumentEvent event) {
        return new EventOutcome(event.id(), event.version(), EventStatus.UNCHANGED, null, 0);
    }

    public static EventOutcome stale(DocumentEvent event, String reason) {
        return new EventOutcome(event.id(), event.version(), EventStatus.STALE, reason, 0);
    }

    public static EventOutcome rejected(String id, long version, String reason) {
        return new EventOutcome(id, version, EventStatus.REJECTED, Objects.requireNonNull(reason, "reason"), 0);
    }

    public boolean rejected() {
        return status == EventStatus.REJECTED;
    }
}
