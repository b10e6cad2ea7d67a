package io.keel.embed.onnx;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

/**
 * Settings of the embedded embedding model.
 *
 * @param model         {@code all-minilm-l6-v2-q} (default: int8, about a third of the CPU per text at nearly the
 *                      same retrieval quality, see BENCHMARKS.md), {@code all-minilm-l6-v2} (float32) or
 *                      {@code bge-small-en-v1.5-q} (int8 bge-small: better retrieval for about twice the CPU per token)
 * @param batchSize     texts per ONNX run when embedding documents with the float32 model (the int8 model runs one
 *                      text at a time: its activations are quantised per run, so batching would shift vectors)
 * @param workers       parallel document batches, each on one intra-op thread (throughput: one per core)
 * @param queryThreads  intra-op threads for query embeddings (latency: all cores)
 * @param cacheSize     query embeddings kept in memory
 * @param maxQueryBatch concurrent queries folded into one ONNX run (float32 model only, for the same reason)
 */
public record OnnxEmbedderConfig(String model, int batchSize, int workers, int queryThreads, int cacheSize, int maxQueryBatch) {
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String MINILM_QUANTIZED = "all-minilm-l6-v2-q";
    public static final String BGE_SMALL_QUANTIZED = "bge-small-en-v1.5-q";

    public OnnxEmbedderConfig {
        if (EmbeddedModel.byId(model).isEmpty()) {
            throw KeelException.invalid("embedding.model must be one of " + EmbeddedModel.ids() + "; got '" + model + "'");
        }
        positive("embedding.batch_size", batchSize);
        positive("embedding.workers", workers);
        positive("embedding.query_threads", queryThreads);
        if (cacheSize < 0) throw KeelException.invalid("embedding.cache_size must be >= 0; got " + cacheSize);
        positive("embedding.max_query_batch", maxQueryBatch);
    }

    public static OnnxEmbedderConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new OnnxEmbedderConfig(MINILM_QUANTIZED, 32, cores, cores, 10_000, 16);
    }

    /**
     * Reads the ONNX keys of the {@code embedding:} section: {@code model}, {@code batch_size}, {@code workers},
     * {@code query_threads}, {@code cache_size}, {@code max_query_batch}; absent keys take {@link #defaults()}.
     */
    public static OnnxEmbedderConfig from(ConfigNode n) {
        OnnxEmbedderConfig d = defaults();
        return new OnnxEmbedderConfig(
                n.string("model", d.model()),
                n.integer("batch_size", d.batchSize(), 1, 1024),
                n.integer("workers", d.workers(), 1, 256),
                n.integer("query_threads", d.queryThreads(), 1, 256),
                n.integer("cache_size", d.cacheSize(), 0, 10_000_000),
                n.integer("max_query_batch", d.maxQueryBatch(), 1, 1024));
    }

    public boolean quantized() {
        return embeddedModel().quantized;
    }

    /** Whether the model is all-MiniLM-L6-v2 (either build): the vectors the guard's embedding classifiers were fitted to. */
    public boolean miniLm() {
        return MINILM.equals(model) || MINILM_QUANTIZED.equals(model);
    }

    EmbeddedModel embeddedModel() {
        return EmbeddedModel.byId(model).orElseThrow();
    }

    private static void positive(String key, int v) {
        if (v < 1) throw KeelException.invalid(key + " must be >= 1; got " + v);
    }
}
