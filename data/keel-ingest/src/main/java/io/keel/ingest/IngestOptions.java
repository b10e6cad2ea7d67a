package io.keel.ingest;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.ingest.chunk.ChunkerConfig;
import io.keel.ingest.parse.DocumentDefaults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link Ingestor} runs. The configuration key each component is read from is given in brackets.
 *
 * @param root             directory that document ids and sources are relative to; {@code null} means the parent of
 *                         each given directory (or of a given file's directory), so ids start with that directory's
 *                         name
 * @param documentDefaults tenant, acl and metadata for every document
 * @param chunking         chunk size and overlap ({@code chunking.*})
 * @param batchSize        texts per {@code Embedder.embedAll} call; documents are gathered until their chunks reach
 *                         it ({@code ingest.embed_batch})
 * @param commitEvery      commit after this many documents written or deleted ({@code ingest.commit_every_documents})
 * @param commitInterval   commit when this much time has passed since the last commit and something was written
 *                         ({@code ingest.commit_every})
 * @param maxFileBytes     larger files are reported as failed without being read ({@code ingest.max_file_mb})
 * @param deleteMissing    remove indexed documents whose source lies under an ingested directory but is gone
 *                         ({@code ingest.delete_missing})
 */
public record IngestOptions(Path root, DocumentDefaults documentDefaults, ChunkerConfig chunking, int batchSize,
                            int commitEvery, Duration commitInterval, long maxFileBytes, boolean deleteMissing) {
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_COMMIT_EVERY = 500;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;

    public IngestOptions {
        documentDefaults = Objects.requireNonNullElse(documentDefaults, DocumentDefaults.NONE);
        chunking = Objects.requireNonNullElse(chunking, ChunkerConfig.defaults());
        commitInterval = Objects.requireNonNullElse(commitInterval, DEFAULT_COMMIT_INTERVAL);
        if (batchSize < 1) throw KeelException.invalid("ingest.embed_batch must be >= 1: " + batchSize);
        if (commitEvery < 1) throw KeelException.invalid("ingest.commit_every_documents must be >= 1: " + commitEvery);
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw KeelException.invalid("ingest.commit_every must be positive: " + commitInterval);
        }
        if (maxFileBytes < 1) throw KeelException.invalid("ingest.max_file_mb must be positive: " + maxFileBytes);
    }

    /**
     * Reads the {@code ingest} section ({@code embed_batch}, {@code commit_every_documents}, {@code commit_every},
     * {@code max_file_mb}, {@code delete_missing}) with {@code chunking} read by {@link ChunkerConfig#from}.
     */
    public static IngestOptions from(ConfigNode ingest, ChunkerConfig chunking) {
        IngestOptions d = defaults();
        return new IngestOptions(
                null,
                DocumentDefaults.NONE,
                chunking,
                ingest.integer("embed_batch", d.batchSize(), 1, 4096),
                ingest.integer("commit_every_documents", d.commitEvery(), 1, 10_000_000),
                ingest.duration("commit_every", d.commitInterval()),
                (long) (ingest.decimal("max_file_mb", d.maxFileBytes() / (1024.0 * 1024.0), 0.001, 1 << 20) * 1024 * 1024),
                ingest.bool("delete_missing", d.deleteMissing()));
    }

    public static IngestOptions defaults() {
        return new IngestOptions(null, DocumentDefaults.NONE, ChunkerConfig.defaults(), DEFAULT_BATCH_SIZE,
                DEFAULT_COMMIT_EVERY, DEFAULT_COMMIT_INTERVAL, DEFAULT_MAX_FILE_BYTES, true);
    }

    public IngestOptions withRoot(Path root) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withDocumentDefaults(DocumentDefaults documentDefaults) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withChunking(ChunkerConfig chunking) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withBatchSize(int batchSize) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withCommitEvery(int commitEvery) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withCommitInterval(Duration commitInterval) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withMaxFileBytes(long maxFileBytes) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }

    public IngestOptions withDeleteMissing(boolean deleteMissing) {
        return new IngestOptions(root, documentDefaults, chunking, batchSize, commitEvery, commitInterval, maxFileBytes, deleteMissing);
    }
}
