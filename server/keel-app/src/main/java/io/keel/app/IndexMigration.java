package io.keel.app;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Backends;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.ExportedDocument;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexStoreFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Copies a collection from one index backend to another ({@code keel migrate-index}) with its stored vectors — no
 * re-embedding — and its document versions and tombstones. The configured backend ({@code index.backend}) is the
 * instance's own store; the other is opened through its factory with the same data directory, embedding model and SQL
 * database, and the {@code index:} section when it names that backend (defaults otherwise, plus {@code otherSection}).
 * The target collection must be new or empty; everything is written in one commit, so a failure leaves it empty.
 *
 * <p>A tombstone keeps its version; its deletion time becomes the time of the copy (tombstone purges count from it).
 */
public final class IndexMigration {
    /** What was copied. */
    public record Report(long documents, long tombstones, long chunks, IndexInfo target) {
    }

    private IndexMigration() {
    }

    /**
     * @param otherSection keys for the backend that is not the configured one, e.g. {@code pgvector.url}; may be empty
     * @param progress     called with the documents copied so far
     */
    public static Report copy(Keel keel, String from, String to, String collection, Map<String, Object> otherSection,
                              LongConsumer progress) {
        Objects.requireNonNull(collection, "collection");
        if (from.equals(to)) throw KeelException.invalid("--from and --to both name '" + from + "'; name two different index backends");
        String configured = keel.config().index().backend();
        if (!from.equals(configured) && !to.equals(configured)) {
            throw KeelException.invalid("one of --from '" + from + "' and --to '" + to + "' must be the configured index.backend ('"
                    + configured + "')");
        }
        try (IndexStore other = openOther(keel, from.equals(configured) ? to : from, otherSection)) {
            IndexStore source = from.equals(configured) ? keel.indexes() : other;
            IndexStore target = to.equals(configured) ? keel.indexes() : other;
            return copy(source.collection(collection, false), target, collection, progress);
        }
    }

    /** Copies {@code source} into the collection of the same name in {@code target} (created when missing). */
    public static Report copy(CollectionIndex source, IndexStore target, String collection, LongConsumer progress) {
        CollectionIndex into = target.collection(collection, true);
        IndexInfo before = into.info();
        if (before.documents() > 0) {
            throw KeelException.invalid("collection '" + collection + "' already holds " + before.documents()
                    + " documents in the target index; copy into a new or empty collection");
        }
        long[] counts = new long[3];
        source.export(e -> {
            write(into, e);
            if (e.state().deleted()) counts[1]++;
            else counts[0]++;
            counts[2] += e.chunks().size();
            if ((counts[0] + counts[1]) % 500 == 0) progress.accept(counts[0] + counts[1]);
        });
        into.commit();
        progress.accept(counts[0] + counts[1]);
        IndexInfo after = into.info();
        if (after.documents() != counts[0] || after.chunks() != counts[2]) {
            throw new KeelException(io.keel.core.error.ErrorCode.INTERNAL, "collection '" + collection + "' was copied with "
                    + counts[0] + " documents and " + counts[2] + " chunks but the target reports " + after.documents()
                    + " and " + after.chunks());
        }
        return new Report(counts[0], counts[1], counts[2], after);
    }

    private static void write(CollectionIndex into, ExportedDocument e) {
        long version = e.state().version();
        if (e.state().deleted()) {
            into.delete(e.state().id(), version);
        } else if (e.state().versioned()) {
            into.upsert(e.document(), e.chunks(), e.vectors(), version);
        } else {
            into.upsert(e.document(), e.chunks(), e.vectors());
        }
    }

    private static IndexStore openOther(Keel keel, String backend, Map<String, Object> otherSection) {
        ConfigNode configuredSection = keel.config().index().section();
        ConfigNode section = keel.config().index().backend().equals(backend) ? configuredSection
                : ConfigNode.root(Map.of("index", otherSection), Map.of()).child("index");
        IndexStoreFactory factory = Backends.find(IndexStoreFactory.class, backend, "--from/--to");
        factory.validate(section);
        var db = keel.database();
        IndexStoreContext context = new IndexStoreContext(keel.config().dataDir(), keel.embedder().info(), section,
                Clock.systemUTC(), db == null ? null : new IndexStoreContext.SharedDatabase(db.dataSource(), db.dialect().folder()));
        return factory.open(context);
    }
}
