package io.keel.stream;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

/**
 * Limits of {@code POST /v1/documents}.
 *
 * @param defaultCollection collection of events that name none and arrive without {@code ?collection=}
 * @param batchSize         events applied (and committed) together; a larger batch is read and applied in pieces of
 *                          this size, so its memory stays bounded
 * @param maxEvents         most events one request may carry, pushed at once or as a job (default 1,000)
 * @param maxEventBytes     longest JSON string (a document's content) one event may carry, in characters (default
 *                          2 Mi; {@code streaming.content.max_bytes} then bounds the content itself)
 * @param maxQueuedEvents   most events of accepted ingestion jobs waiting or running at once; a job that would go
 *                          beyond is refused with 429 and {@code Retry-After} (default 10,000)
 */
public record PushConfig(String defaultCollection, int batchSize, int maxEvents, int maxEventBytes, int maxQueuedEvents) {
    public static final String PREFIX = "streaming.http.";
    public static final PushConfig DEFAULTS = new PushConfig("default", 64, 1_000, 2 * 1024 * 1024, 10_000);

    public PushConfig {
        if (defaultCollection == null || defaultCollection.isBlank()) throw KeelException.invalid(PREFIX + "default_collection must not be empty");
        if (batchSize < 1) throw KeelException.invalid(PREFIX + "batch_size must be >= 1; got " + batchSize);
        if (maxEvents < 1) throw KeelException.invalid(PREFIX + "max_events must be >= 1; got " + maxEvents);
        if (maxEventBytes < 1) throw KeelException.invalid(PREFIX + "max_event_bytes must be >= 1; got " + maxEventBytes);
        if (maxQueuedEvents < maxEvents) {
            throw KeelException.invalid(PREFIX + "max_queued_events (" + maxQueuedEvents + ") must be >= max_events ("
                    + maxEvents + "): otherwise a job of max_events could never be queued");
        }
    }

    /**
     * Reads the {@code streaming.http} section: {@code default_collection}, {@code batch_size}, {@code max_events}
     * {@code max_event_bytes} and {@code max_queued_events}; absent keys keep {@link #DEFAULTS}.
     *
     * @throws KeelException naming the full key of the first invalid value
     */
    public static PushConfig from(ConfigNode node) {
        return new PushConfig(
                node.string("default_collection", DEFAULTS.defaultCollection()),
                node.integer("batch_size", DEFAULTS.batchSize(), 1, 10_000),
                node.integer("max_events", DEFAULTS.maxEvents(), 1, 10_000_000),
                node.integer("max_event_bytes", DEFAULTS.maxEventBytes(), 1, Integer.MAX_VALUE - 8),
                node.integer("max_queued_events", DEFAULTS.maxQueuedEvents(), 1, 100_000_000));
    }

    public PushConfig withBatchSize(int size) {
        return new PushConfig(defaultCollection, size, maxEvents, maxEventBytes, maxQueuedEvents);
    }

    public PushConfig withMaxEvents(int max) {
        return new PushConfig(defaultCollection, batchSize, max, maxEventBytes, Math.max(max, maxQueuedEvents));
    }

    public PushConfig withMaxQueuedEvents(int max) {
        return new PushConfig(defaultCollection, batchSize, maxEvents, maxEventBytes, max);
    }
}
