package io.keel.app;

import io.keel.app.config.StreamingConfig;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.IndexStore;
import io.keel.ingest.chunk.ChunkerConfig;
import io.keel.stream.EventApplier;
import io.keel.ingest.ChunkScreen;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.IngestionSource;
import io.keel.stream.TombstoneRetention;
import io.keel.stream.PushConfig;
import io.keel.stream.kafka.KafkaIngestion;
import io.keel.stream.kafka.KafkaIngestionConfig;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Streaming document updates of one Keel instance: one applier and one freshness tracker shared by HTTP push and
 * the Kafka source (so versions are checked under one lock per collection), and the Kafka source itself when
 * {@code streaming.kafka.bootstrap_servers} is set. See docs/streaming.md.
 */
public final class Streaming implements AutoCloseable {
    private final EventApplier applier;
    private final FreshnessTracker freshness = new FreshnessTracker();
    private final PushConfig push;
    private final KafkaIngestionConfig kafka;
    private final List<KafkaIngestion> running = new CopyOnWriteArrayList<>();

    Streaming(StreamingConfig config, Embedder embedder, ChunkerConfig chunking, ChunkScreen screen) {
        this.applier = new EventApplier(embedder, chunking, config.content(), screen, config.tombstones());
        this.push = config.push();
        this.kafka = config.kafka();
    }

    /** Starts the Kafka source, when one is configured; idempotent. */
    synchronized void start(IndexStore indexes) {
        if (kafka == null || !running.isEmpty()) return;
        KafkaIngestion source = new KafkaIngestion(kafka, indexes.collection(kafka.collection(), true), applier, freshness);
        source.start();
        running.add(source);
    }

    public EventApplier applier() {
        return applier;
    }

    public FreshnessTracker freshness() {
        return freshness;
    }

    public PushConfig push() {
        return push;
    }

    /** The running sources, for {@code GET /v1/ingestion/status}. */
    public List<? extends IngestionSource> sources() {
        return List.copyOf(running);
    }

    @Override
    public void close() {
        for (KafkaIngestion k : running) k.close();
        running.clear();
    }
}
