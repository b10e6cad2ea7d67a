package io.keel.embed.onnx;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbedderFactory;
import io.keel.test.EmbedderContractTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded model, created the way Keel creates it: by name, from an {@code embedding:} section. */
class OnnxEmbedderContractTest extends EmbedderContractTest {
    private static ConfigNode section(Map<String, Object> embedding) {
        return ConfigNode.root(Map.of("embedding", embedding), Map.of()).child("embedding");
    }

    @Override
    protected Embedder createEmbedder() {
        return Backends.find(EmbedderFactory.class, "onnx", "embedding.backend")
                .create(section(Map.of("workers", 2, "query_threads", 1)));
    }

    @Test
    void readsItsKeysFromTheEmbeddingSection() {
        OnnxEmbedderConfig c = OnnxEmbedderConfig.from(section(Map.of("model", "all-minilm-l6-v2", "batch_size", 8)));
        assertThat(c.model()).isEqualTo(OnnxEmbedderConfig.MINILM);
        assertThat(c.batchSize()).isEqualTo(8);
        assertThat(c.cacheSize()).isEqualTo(OnnxEmbedderConfig.defaults().cacheSize());
        assertThatThrownBy(() -> OnnxEmbedderConfig.from(section(Map.of("workers", 0))))
                .hasMessageContaining("embedding.workers").hasMessageContaining("KEEL_EMBEDDING_WORKERS");
    }

    @Test
    void anUnknownBackendNameListsTheAvailableOnes() {
        assertThatThrownBy(() -> Backends.find(EmbedderFactory.class, "word2vec", "embedding.backend"))
                .hasMessageContaining("embedding.backend").hasMessageContaining("word2vec").hasMessageContaining("onnx");
    }
}
