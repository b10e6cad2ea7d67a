package io.keel.core.spi;

/**
 * Progress of {@link IndexStore#reindex}, reported on the calling thread after each batch of chunks is re-embedded,
 * and once more when the new commit is durable ({@code done == total}).
 */
@FunctionalInterface
public interface ReindexProgress {
    /**
     * @param chunksDone  chunks re-embedded so far
     * @param chunksTotal chunks in the collection
     */
    void onProgress(long chunksDone, long chunksTotal);

    ReindexProgress NONE = (done, total) -> { };
}
