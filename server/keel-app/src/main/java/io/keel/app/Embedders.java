package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.TokenCounter;
import io.keel.embed.onnx.OnnxEmbedder;

import java.util.List;

/**
 * The embedders of one Keel. The configured one ({@code embedding.backend}) embeds collections, queries, extractive
 * answers and quality checks. The guard's injection classifier and its topic examples were fitted to the embedded
 * MiniLM model's vectors, so when the configured embedder is another model the guard gets an embedded MiniLM of its
 * own, loaded when the guard first asks for it and closed with the configured embedder.
 */
final class Embedders {
    private Embedders() {
    }

    /** The configured embedder; when it is not the embedded model, one that also owns the guard's model. */
    static Embedder open(KeelConfig config) {
        Embedder configured = config.embedding().create();
        return configured instanceof OnnxEmbedder ? configured : new WithGuardModel(configured);
    }

    /** The embedder the guard's detectors were fitted to. */
    static Embedder forGuard(Embedder embedder) {
        return embedder instanceof WithGuardModel w ? w.guardModel() : embedder;
    }

    /** Forwards to the configured embedder; {@link #close()} closes the guard's model too. Thread-safe. */
    static final class WithGuardModel implements Embedder {
        private final Embedder configured;
        private OnnxEmbedder guardModel;
        private boolean closed;

        WithGuardModel(Embedder configured) {
            this.configured = configured;
        }

        synchronized Embedder guardModel() {
            if (closed) throw new IllegalStateException("the embedders are closed");
            if (guardModel == null) guardModel = OnnxEmbedder.createDefault();
            return guardModel;
        }

        @Override
        public EmbeddingModelInfo info() {
            return configured.info();
        }

        @Override
        public float[] embedQuery(String text) {
            return configured.embedQuery(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return configured.embedAll(texts);
        }

        @Override
        public TokenCounter tokenCounter() {
            return configured.tokenCounter();
        }

        @Override
        public void close() {
            OnnxEmbedder guard;
            synchronized (this) {
                closed = true;
                guard = guardModel;
            }
            try {
                configured.close();
            } finally {
                if (guard != null) guard.close();
            }
        }

        @Override
        public String toString() {
            return configured.toString();
        }
    }
}
