package io.keel.bench.streaming;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.ForwardingCollectionIndex;
import io.keel.core.spi.IndexedDocument;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A collection that adds up the wall time of the reads and writes a batch makes: where a batch's time goes. */
final class TimedIndex extends ForwardingCollectionIndex {
    /** Looking up each event's document (its version and content hash). */
    final AtomicLong lookupNanos = new AtomicLong();
    /** Writing documents and their chunks, before the commit. */
    final AtomicLong writeNanos = new AtomicLong();
    final AtomicLong commitNanos = new AtomicLong();

    TimedIndex(CollectionIndex index) {
        super(index);
    }

    @Override
    public Optional<IndexedDocument> document(String documentId) {
        long start = System.nanoTime();
        try {
            return super.document(documentId);
        } finally {
            lookupNanos.addAndGet(System.nanoTime() - start);
        }
    }

    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        long start = System.nanoTime();
        try {
            super.upsert(document, chunks, vectors, version);
        } finally {
            writeNanos.addAndGet(System.nanoTime() - start);
        }
    }

    @Override
    public long commit() {
        long start = System.nanoTime();
        try {
            return super.commit();
        } finally {
            commitNanos.addAndGet(System.nanoTime() - start);
        }
    }

    void reset() {
        lookupNanos.set(0);
        writeNanos.set(0);
        commitNanos.set(0);
    }
}
