package io.keel.embed.onnx;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backend;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbedderFactory;

/** {@code embedding.backend: onnx} (the default): the embedded MiniLM model, configured by {@link OnnxEmbedderConfig#from}. */
@Backend(OnnxEmbedderFactory.NAME)
public final class OnnxEmbedderFactory implements EmbedderFactory {
    public static final String NAME = "onnx";

    @Override
    public void check(ConfigNode section) {
        OnnxEmbedderConfig.from(section);
    }

    @Override
    public Embedder create(ConfigNode section) {
        return new OnnxEmbedder(OnnxEmbedderConfig.from(section));
    }
}
