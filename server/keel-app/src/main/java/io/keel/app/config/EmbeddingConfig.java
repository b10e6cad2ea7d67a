package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbedderFactory;

import java.util.Locale;

/**
 * The {@code embedding:} section: {@code backend} names the embedder ({@code onnx}, the default, or {@code openai});
 * the backend reads the rest of the section itself. The section is checked when the configuration loads (an unknown
 * backend, a bad value or a key the backend does not read fails then); the model loads, or the remote server is
 * first called, only in {@link #create()}.
 *
 * @param backend the backend's name
 */
public record EmbeddingConfig(String backend, EmbedderFactory factory, ConfigNode section) {
    public static final String DEFAULT_BACKEND = "onnx";

    static EmbeddingConfig from(ConfigNode n) {
        String backend = n.string("backend", DEFAULT_BACKEND).strip().toLowerCase(Locale.ROOT);
        EmbedderFactory factory = Backends.find(EmbedderFactory.class, backend, n.path() + ".backend");
        factory.check(n);
        return new EmbeddingConfig(backend, factory, n);
    }

    /** A new embedder of the configured backend; the caller closes it. */
    public Embedder create() {
        return factory.create(section);
    }
}
