package io.keel.stream;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One change to one document, the unit every streaming source delivers (Kafka records, HTTP push). Build events with
 * {@link DocumentEvents#parse}, which validates them; the record itself only normalises.
 *
 * <p>Events for one id are ordered by {@link #version()}: an event whose version is not greater than the one the
 * index holds for the id (document or tombstone) has no effect, so duplicate and out-of-order deliveries are harmless.
 *
 * @param op         upsert or delete
 * @param id         the document id, the key of ordering and idempotence
 * @param collection the target collection; null means the one the source is bound to
 * @param version    the explicit version; when the event has none, its event time in microseconds since the epoch
 * @param eventTime  when the change happened at its origin; null when the event carries none
 * @param content    the document text (upsert); null when {@link #url} or {@link #path} is given
 * @param url        an {@code http(s)} address to fetch the content from (upsert)
 * @param path       a local file to read the content from (upsert)
 * @param title      a title; null lets the format supply one (a Markdown heading, an HTML title)
 * @param mediaType  {@code text/markdown}, {@code text/plain} or {@code text/html}; null means from the path or URL,
 *                   else plain text
 * @param metadata   string metadata, filterable at query time
 * @param tenant     owning tenant; null means the default tenant
 * @param acl        principals allowed to read; empty means everyone in the tenant
 */
public record DocumentEvent(Op op, String id, String collection, long version, Instant eventTime, String content,
                            String url, String path, String title, String mediaType, Map<String, String> metadata,
                            String tenant, List<String> acl) {
    /** What an event does to its document. */
    public enum Op {
        UPSERT, DELETE;

        /** The lower-case wire name. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DocumentEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(id, "id");
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        acl = List.copyOf(acl == null ? List.of() : acl);
    }

    /** A delete of {@code id} at {@code version}. */
    public static DocumentEvent delete(String id, String collection, long version) {
        return new DocumentEvent(Op.DELETE, id, collection, version, null, null, null, null, null, null, null, null, null);
    }

    /** An upsert of inline text. */
    public static DocumentEvent upsert(String id, String collection, long version, String content, String mediaType) {
        return new DocumentEvent(Op.UPSERT, id, collection, version, null, content, null, null, null, mediaType, null,
                null, null);
    }

    /** The version implied by an event time: microseconds since the epoch. */
    public static long versionOf(Instant eventTime) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, eventTime);
    }

    public boolean isDelete() {
        return op == Op.DELETE;
    }

    /** This event bound to {@code collectionName} when it names none. */
    public DocumentEvent inCollection(String collectionName) {
        if (collection != null) return this;
        return new DocumentEvent(op, id, collectionName, version, eventTime, content, url, path, title, mediaType,
                metadata, tenant, acl);
    }
}
