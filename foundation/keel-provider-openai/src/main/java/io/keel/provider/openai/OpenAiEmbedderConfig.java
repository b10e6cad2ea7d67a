package io.keel.provider.openai;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.util.Objects;

/**
 * How a remote embedder batches, checks and counts: the model-side keys of {@code embedding:} when
 * {@code embedding.backend} is {@code openai}. (Where the model is served, its key, retries and breakers are read
 * with the replica pool that calls it.)
 *
 * @param model          the model name sent upstream ({@code text-embedding-3-small}, {@code BAAI/bge-small-en-v1.5});
 *                       part of the fingerprint that collections record
 * @param dimensions     the vector length the model must return, or 0 to take whatever the server returns at start
 * @param maxBatchSize   most texts in one request; bigger {@code embedAll} calls are split. A server that answers 413
 *                       (Text Embeddings Inference over its {@code --max-client-batch-size}) gets halves, and later
 *                       batches stay at the size it accepted
 * @param concurrency    batches of one {@code embedAll} call in flight at once, spread over the replicas
 * @param maxInputTokens the model's input window, in its own tokens; longer texts are cut before sending (see
 *                       {@link ApproximateTokenCounter})
 * @param charsPerToken  ASCII characters per token assumed by the token estimate; lower is more conservative
 * @param cacheSize      query embeddings kept in memory (least recently used go first); 0 turns the cache off
 */
public record OpenAiEmbedderConfig(String model, int dimensions, int maxBatchSize, int concurrency, int maxInputTokens,
                                   double charsPerToken, int cacheSize) {
    public OpenAiEmbedderConfig {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) throw KeelException.invalid("embedding.model must name the remote embedding model");
        if (dimensions < 0) throw new IllegalArgumentException("dimensions must be >= 0");
        if (maxBatchSize < 1) throw new IllegalArgumentException("maxBatchSize must be >= 1");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1");
        if (maxInputTokens < 8) throw new IllegalArgumentException("maxInputTokens must be >= 8");
        if (!(charsPerToken > 0)) throw new IllegalArgumentException("charsPerToken must be > 0");
        if (cacheSize < 0) throw new IllegalArgumentException("cacheSize must be >= 0");
    }

    /**
     * Reads {@code model} (required), {@code dimensions} (0), {@code max_batch_size} (32, the default batch limit
     * of Text Embeddings Inference), {@code concurrency} (4), {@code max_input_tokens} (512),
     * {@code chars_per_token} (3.0) and {@code cache_size} (10000).
     */
    public static OpenAiEmbedderConfig from(ConfigNode n) {
        String model = n.string("model", null);
        if (model == null || model.isBlank()) {
            throw ConfigNode.bad(n.path().isEmpty() ? "model" : n.path() + ".model",
                    "must name the remote embedding model when embedding.backend is openai, e.g. text-embedding-3-small");
        }
        return new OpenAiEmbedderConfig(model,
                n.integer("dimensions", 0, 0, 16_384),
                n.integer("max_batch_size", 32, 1, 4096),
                n.integer("concurrency", 4, 1, 256),
                n.integer("max_input_tokens", 512, 8, 1_000_000),
                n.decimal("chars_per_token", 3.0, 0.5, 16),
                n.integer("cache_size", 10_000, 0, 10_000_000));
    }
}
