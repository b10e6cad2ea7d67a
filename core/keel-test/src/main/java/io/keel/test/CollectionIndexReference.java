package io.keel.test;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.spi.IndexedDocument;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The expected state of one collection, kept by {@link CollectionIndexContractTest} beside the index under test: the
 * state of the last commit and the state the pending writes lead to. Searches here are exact: dense search is a
 * brute-force scan by cosine similarity, a filter is evaluated on each document.
 */
final class CollectionIndexReference {
    /** One chunk as written: its vector is unit length, as every index keeps it. */
    record RefChunk(Chunk chunk, String title, float[] vector) {
        String embeddingText() {
            return chunk.embeddingText(title);
        }

        Set<String> words() {
            return new HashSet<>(List.of(chunk.text().toLowerCase(Locale.ROOT).split("[^a-z0-9]+")));
        }
    }

    /** A live document or a tombstone. */
    record Entry(Document document, List<RefChunk> chunks, long version, Instant deletedAt) {
        static Entry live(Document d, List<RefChunk> chunks, long version) {
            return new Entry(d, List.copyOf(chunks), version, null);
        }

        static Entry tombstone(long version, Instant deletedAt) {
            return new Entry(null, List.of(), version, deletedAt);
        }

        boolean deleted() {
            return document == null;
        }

        IndexedDocument expected(String id) {
            return deleted() ? IndexedDocument.tombstone(id, version) : IndexedDocument.live(id, document.contentHash(), version);
        }
    }

    private Map<String, Entry> committed = new TreeMap<>();
    private Map<String, Entry> pending = new TreeMap<>();
    private final Set<String> everWritten = new HashSet<>();
    private boolean contentWritten;
    private boolean anyWrite;

    Entry pending(String id) {
        return pending.get(id);
    }

    Entry committed(String id) {
        return committed.get(id);
    }

    Set<String> everWritten() {
        return everWritten;
    }

    void put(String id, Entry entry) {
        pending.put(id, entry);
        everWritten.add(id);
        contentWritten = true;
        anyWrite = true;
    }

    void remove(String id) {
        pending.remove(id);
        anyWrite = true;
    }

    /** A write that leaves contents as they are (a version update, a purge); the commit version may or may not move. */
    void touch() {
        anyWrite = true;
    }

    boolean contentWritten() {
        return contentWritten;
    }

    boolean anyWrite() {
        return anyWrite;
    }

    void commit() {
        committed = new TreeMap<>(pending);
        contentWritten = false;
        anyWrite = false;
    }

    /** What a reopened index holds: the last commit; pending writes are gone. */
    void discardPending() {
        pending = new TreeMap<>(committed);
        contentWritten = false;
        anyWrite = false;
    }

    Map<String, Entry> committedEntries() {
        return committed;
    }

    /** The live documents of the last commit whose source starts with {@code prefix}, id to content hash. */
    Map<String, String> hashes(String prefix) {
        Map<String, String> out = new TreeMap<>();
        committed.forEach((id, e) -> {
            if (!e.deleted() && e.document().source().startsWith(prefix)) out.put(id, e.document().contentHash());
        });
        return out;
    }

    /** Every chunk of the last commit, by chunk id. */
    Map<String, RefChunk> liveChunks() {
        Map<String, RefChunk> out = new LinkedHashMap<>();
        for (Entry e : committed.values()) for (RefChunk c : e.chunks()) out.put(c.chunk().id(), c);
        return out;
    }

    Document documentOf(String documentId) {
        Entry e = committed.get(documentId);
        return e == null ? null : e.document();
    }

    /** The chunks of the last commit whose document passes {@code filters}. */
    List<RefChunk> matching(Filters filters) {
        List<RefChunk> out = new ArrayList<>();
        for (Entry e : committed.values()) {
            if (!e.deleted() && matches(e.document(), filters)) out.addAll(e.chunks());
        }
        return out;
    }

    /** Exact dense search: the top {@code k} chunks passing {@code filters} by cosine similarity. */
    List<RefChunk> exactDense(float[] query, Filters filters, int k) {
        float[] q = unit(query);
        return matching(filters).stream()
                .sorted(Comparator.comparingDouble((RefChunk c) -> -dot(q, c.vector())).thenComparing(c -> c.chunk().id()))
                .limit(k).toList();
    }

    /**
     * The semantics of {@link Filters}: every field must match one of its values. {@code acl} matches documents that
     * name one of the principals or have no ACL; other names than the built-in fields are metadata keys.
     */
    static boolean matches(Document d, Filters filters) {
        for (var e : filters.terms().entrySet()) {
            Set<String> values = e.getValue();
            boolean ok = switch (e.getKey()) {
                case "document_id" -> values.contains(d.id());
                case "source" -> values.contains(d.source());
                case "tenant" -> values.contains(d.tenant());
                case "media_type" -> values.contains(d.mediaType());
                case "acl" -> d.acl().isEmpty() || d.acl().stream().anyMatch(values::contains);
                default -> d.metadata().containsKey(e.getKey()) && values.contains(d.metadata().get(e.getKey()));
            };
            if (!ok) return false;
        }
        return true;
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) n += (double) x * x;
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / n);
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
