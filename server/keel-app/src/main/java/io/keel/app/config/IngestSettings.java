package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.chunk.ChunkerConfig;
import io.keel.ingest.parse.DocumentDefaults;

import java.util.Locale;

/**
 * Batch ingestion settings, read from {@code ingest.*} and {@code chunking.*}.
 */
public record IngestSettings(IngestOptions options) {
    static IngestSettings from(ConfigNode ingest, ConfigNode chunking) {
        IngestOptions d = IngestOptions.defaults();
        ChunkerConfig chunks = new ChunkerConfig(
                chunking.integer("max_tokens", 0, 0, 8192),
                chunking.integer("overlap_sentences", ChunkerConfig.DEFAULT_OVERLAP_SENTENCES, 0, 10),
                Locale.forLanguageTag(chunking.string("language", "und")));
        return new IngestSettings(new IngestOptions(
                null,
                DocumentDefaults.NONE,
                chunks,
                ingest.integer("embed_batch", d.batchSize(), 1, 4096),
                ingest.integer("commit_every_documents", d.commitEvery(), 1, 10_000_000),
                ingest.duration("commit_every", d.commitInterval()),
                (long) (ingest.decimal("max_file_mb", d.maxFileBytes() / (1024.0 * 1024.0), 0.001, 1 << 20) * 1024 * 1024),
                ingest.bool("delete_missing", d.deleteMissing())));
    }
}
