package io.keel.bench.streaming;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.IndexStore;
import io.keel.stream.EventApplier;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.SourceStatus;
import io.keel.stream.kafka.KafkaIngestion;
import io.keel.stream.kafka.KafkaIngestionConfig;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one Keel instance runs for streaming: its own embedder client, its own index store (its own connection pool on
 * pgvector), one {@link EventApplier} and one {@link KafkaIngestion} consumer. Several instances share the consumer
 * group (and so split the topic's partitions), the index's database and the {@link FreshnessTracker}.
 */
final class Instance implements AutoCloseable {
    final String name;
    final Embedder embedder;
    final IndexStore store;
    final TimedIndex index;
    final KafkaIngestion ingestion;
    /** Events this instance applied, chunks it embedded and vectors of unchanged chunks it reused. */
    final AtomicLong events = new AtomicLong();
    final AtomicLong embedded = new AtomicLong();
    final AtomicLong reused = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    /** Wall time of applying batches (parse, chunk, embed, write, commit). */
    final AtomicLong applyNanos = new AtomicLong();
    final TimedEmbedder timed;

    Instance(String name, Embedder embedder, IndexStore store, TimedIndex index, KafkaIngestionConfig config,
             FreshnessTracker freshness) {
        this.name = name;
        this.embedder = embedder;
        this.store = store;
        this.index = index;
        this.timed = new TimedEmbedder(embedder);
        EventApplier applier = new EventApplier(timed);
        applier.observe((collection, batch, nanos) -> {
            events.addAndGet(batch.outcomes().size());
            embedded.addAndGet(batch.chunksEmbedded());
            reused.addAndGet(batch.vectorsReused());
            batches.incrementAndGet();
            applyNanos.addAndGet(nanos);
        });
        // Each consumer its own client id, as each process has its own.
        this.ingestion = new KafkaIngestion(config.withClientProperties(Map.of("client.id", "keel-bench-" + name)), index,
                applier, freshness);
    }

    void resetCounts() {
        events.set(0);
        embedded.set(0);
        reused.set(0);
        batches.set(0);
        applyNanos.set(0);
        timed.nanos.set(0);
        timed.calls.set(0);
        index.reset();
    }

    SourceStatus status() {
        return ingestion.status();
    }

    @Override
    public void close() throws Exception {
        try (embedder; store) {
            ingestion.close();
        }
    }
}
