package io.keel.app;

import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.graph.llm.LlmExtractionStats;
import io.keel.stream.EventApplier;
import io.keel.stream.EventStatus;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.IngestionSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Meters of components that keep their own counters, bound to the Prometheus registry: the embedding query cache
 * ({@code keel_embedding_cache_total{result}}) and streaming ingestion: {@code keel_ingestion_freshness_seconds} (a histogram of event time to
 * searchable), {@code keel_ingestion_events_total{status}}, {@code keel_ingestion_failed_batches_total},
 * {@code keel_ingestion_lag} (events written to a source but not yet searchable) and
 * {@code keel_ingestion_chunks_total{vector}} (chunks embedded, or whose indexed vector was reused); with
 * {@code graph.extractor: llm}, {@code keel_graph_extraction_calls_total} and
 * {@code keel_graph_extraction_chunks_total{source}} (model, cache, fallback).
 */
final class MetricBindings {
    private MetricBindings() {
    }

    private static long lag(IngestionSource source) {
        try {
            return source.status().backlog();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static void embeddingCache(OnnxEmbedder embedder, MeterRegistry registry) {
        FunctionCounter.builder("keel.embedding.cache", embedder, OnnxEmbedder::queryCacheHits)
                .description("Query embeddings by cache outcome").tag("result", "hit").register(registry);
        FunctionCounter.builder("keel.embedding.cache", embedder, OnnxEmbedder::queryCacheMisses)
                .description("Query embeddings by cache outcome").tag("result", "miss").register(registry);
    }

    static void ingestion(FreshnessTracker freshness, java.util.function.Supplier<List<? extends IngestionSource>> sources,
                     MeterRegistry registry) {
        Gauge.builder("keel.ingestion.lag", sources, s -> s.get().stream().mapToLong(MetricBindings::lag).sum())
                .description("Events written to the sources but not yet searchable (Kafka lag plus HTTP backlog)")
                .register(registry);
        Timer timer = Timer.builder("keel.ingestion.freshness")
                .description("Time from a document event's timestamp to the index commit that made it searchable")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        freshness.onSample(micros -> timer.record(micros, TimeUnit.MICROSECONDS));
        for (EventStatus status : EventStatus.values()) {
            FunctionCounter.builder("keel.ingestion.events", freshness, f -> f.snapshot().count(status))
                    .description("Document events by outcome").tag("status", status.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        FunctionCounter.builder("keel.ingestion.failed.batches", freshness, f -> f.snapshot().failedBatches())
                .description("Event batches that failed as a whole and will be redelivered").register(registry);
        Gauge.builder("keel.ingestion.freshness.window.p99", freshness, f -> f.snapshot().p99Millis() / 1000.0)
                .description("p99 freshness over the recent window, in seconds").baseUnit("seconds").register(registry);
    }

    /** Chunks of streamed and pushed documents by whether they were embedded or kept their indexed vector. */
    static void chunks(EventApplier applier, MeterRegistry registry) {
        Counter embedded = Counter.builder("keel.ingestion.chunks").tag("vector", "embedded")
                .description("Chunks of streamed or pushed documents, by where their vector came from").register(registry);
        Counter reused = Counter.builder("keel.ingestion.chunks").tag("vector", "reused")
                .description("Chunks of streamed or pushed documents, by where their vector came from").register(registry);
        applier.observe((collection, batch, nanos) -> {
            embedded.increment(batch.chunksEmbedded());
            reused.increment(batch.vectorsReused());
        });
    }

    /** The knowledge graph's model extraction: calls, chunks sent and served from the cache, fallbacks. */
    static void graphExtraction(LlmExtractionStats stats, MeterRegistry registry) {
        FunctionCounter.builder("keel.graph.extraction.calls", stats, LlmExtractionStats::calls)
                .description("Chat-model calls made to extract entities and relations for the knowledge graph").register(registry);
        FunctionCounter.builder("keel.graph.extraction.chunks.asked", stats, LlmExtractionStats::chunksAsked)
                .description("Chunks sent to the chat model for extraction").register(registry);
        FunctionCounter.builder("keel.graph.extraction.chunks.cached", stats, LlmExtractionStats::chunksCached)
                .description("Chunks whose extraction came from the cache (no call)").register(registry);
        FunctionCounter.builder("keel.graph.extraction.fallbacks", stats, LlmExtractionStats::fallbacks)
                .description("Chunks extracted by the pattern extractor after an unusable answer or a failed call").register(registry);
    }
}
