package io.keel.stream;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

/**
 * Limits of {@code POST /v1/documents}.
 *
 * @param defaultCollection collection of events that name none and arrive without {@code ?collection=}
 * @param batchSize         events applied (and committed) together; a larger batch is read and applied in pieces of
 *                          this size, so its memory stays bounded
 * @param maxEvents         most events one request may carry
 * @param maxEventBytes     longest JSON string (a document's content) one event may carry, in characters
 */
public record PushConfig(String defaultCollection, int batchSize, int maxEvents, int maxEventBytes) {
    public static final String PREFIX = "streaming.http.";
    public static final PushConfig DEFAULTS = new PushConfig("default", 64, 100_000, 16 * 1024 * 1024);

    public PushConfig {
        if (defaultCollection == null || defaultCollection.isBlank()) throw KeelException.invalid(PREFIX + "default_collection must not be empty");
        if (batchSize < 1) throw KeelException.invalid(PREFIX + "batch_size must be >= 1; got " + batchSize);
        if (maxEvents < 1) throw KeelException.invalid(PREFIX + "max_events must be >= 1; got " + maxEvents);
        if (maxEventBytes < 1) throw KeelException.invalid(PREFIX + "max_event_bytes must be >= 1; got " + maxEventBytes);
    }

    /**
     * Reads the {@code streaming.http} section: {@code default_collection}, {@code batch_size}, {@code max_events}
     * and {@code max_event_bytes}; absent keys keep {@link #DEFAULTS}.
     *
     * @throws KeelException naming the full key of the first invalid value
     */
    public static PushConfig from(ConfigNode node) {
        return new PushConfig(
                node.string("default_collection", DEFAULTS.defaultCollection()),
                node.integer("batch_size", DEFAULTS.batchSize(), 1, 10_000),
                node.integer("max_events", DEFAULTS.maxEvents(), 1, 10_000_000),
                node.integer("max_event_bytes", DEFAULTS.maxEventBytes(), 1, Integer.MAX_VALUE - 8));
    }

    public PushConfig withBatchSize(int size) {
        return new PushConfig(defaultCollection, size, maxEvents, maxEventBytes);
    }

    public PushConfig withMaxEvents(int max) {
        return new PushConfig(defaultCollection, batchSize, max, maxEventBytes);
    }
}
