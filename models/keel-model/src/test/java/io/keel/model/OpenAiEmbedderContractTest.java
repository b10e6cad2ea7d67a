package io.keel.model;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbedderFactory;
import io.keel.test.EmbedderContractTest;
import io.keel.test.FakeOpenAiServer;
import org.junit.jupiter.api.AfterAll;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The remote embedder, found by name as Keel finds it, against two fake Text-Embeddings-Inference-like replicas: a
 * batch limit of 8 (413 above it), unnormalised vectors, a reported model name, a little latency per batch.
 */
class OpenAiEmbedderContractTest extends EmbedderContractTest {
    private final List<FakeOpenAiServer> servers = List.of(server(), server());

    private static FakeOpenAiServer server() {
        return new FakeOpenAiServer().embeddingDimensions(32).maxEmbeddingBatch(8).embeddingNorm(2.5)
                .embeddingModel("BAAI/bge-small-en-v1.5").embeddingLatency(Duration.ofMillis(2)).recording(false);
    }

    @Override
    protected Embedder createEmbedder() {
        Map<String, Object> embedding = Map.of("backend", "openai", "model", "bge-small",
                "endpoints", servers.stream().map(s -> s.baseUri() + "/v1").toList(),
                "max_batch_size", 16, "concurrency", 3, "max_input_tokens", 256, "timeout", "5s");
        ConfigNode section = ConfigNode.root(Map.of("embedding", embedding), Map.of()).child("embedding");
        return Backends.find(EmbedderFactory.class, "openai", "embedding.backend").create(section);
    }

    @AfterAll
    void stopServers() {
        servers.forEach(FakeOpenAiServer::close);
    }
}
