package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.chunk.ChunkerConfig;

/**
 * Batch ingestion settings, read from {@code ingest:} and {@code chunking:} by keel-ingest's own readers.
 */
public record IngestConfig(IngestOptions options) {
    static IngestConfig from(ConfigNode ingest, ConfigNode chunking) {
        return new IngestConfig(IngestOptions.from(ingest, ChunkerConfig.from(chunking)));
    }
}
