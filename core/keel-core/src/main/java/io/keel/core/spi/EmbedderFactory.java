package io.keel.core.spi;

import io.keel.core.config.ConfigNode;

/**
 * Creates the {@link Embedder} that {@code embedding.backend} names: {@code onnx} (the embedded MiniLM model, the
 * default) or {@code openai} (any OpenAI-compatible {@code /v1/embeddings} server). Found through
 * {@link Backends#find}; see {@link BackendFactory} for how a module provides one.
 *
 * <p>Both methods receive the whole {@code embedding:} section of {@code keel.yaml} and read only the keys of their
 * backend, so a key that belongs to another backend is reported as unknown.
 */
public interface EmbedderFactory extends BackendFactory {
    /**
     * Reads and checks the section without loading a model or calling a server, so that a bad value fails when the
     * configuration loads, before anything starts. The default reads nothing.
     *
     * @throws io.keel.core.error.KeelException (invalid request) naming the key to fix
     */
    default void check(ConfigNode section) {
    }

    /**
     * The embedder the section describes, ready to use. A remote backend may call its server here, to learn what it
     * needs for {@link Embedder#info()}.
     *
     * @throws io.keel.core.error.KeelException naming the key to fix, or saying why the model is not available
     */
    Embedder create(ConfigNode section);
}
