package io.keel.core.spi;

import java.util.List;

/**
 * Turns text into L2-normalised vectors. Implementations are thread-safe.
 *
 * <p>{@link #embedQuery} is tuned for latency (it may cache and micro-batch concurrent callers);
 * {@link #embedAll} is tuned for throughput (batches by similar length, uses every core).
 */
public interface Embedder extends AutoCloseable {
    EmbeddingModelInfo info();

    /** One vector for a search query; never null. */
    float[] embedQuery(String text);

    /** One vector per text, in input order; texts longer than the model window are truncated by the model. */
    List<float[]> embedAll(List<String> texts);

    TokenCounter tokenCounter();

    @Override
    void close();
}
