package io.keel.stream;

import java.util.Locale;

/** What applying one event did. */
public enum EventStatus {
    /** The change is in the index: written, or deleted with a tombstone. */
    ACCEPTED,
    /** The content equals the indexed content; only the version was recorded, nothing was re-embedded. */
    UNCHANGED,
    /** The index already holds this version or a newer one (a duplicate or out-of-order delivery); no effect. */
    STALE,
    /** The event cannot be applied (invalid, content unreadable, unprocessable); redelivery fails the same way. */
    REJECTED;

    /** The lower-case wire name. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
