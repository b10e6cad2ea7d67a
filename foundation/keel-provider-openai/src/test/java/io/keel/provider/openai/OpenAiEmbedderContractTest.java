package io.keel.provider.openai;

import io.keel.core.spi.Embedder;
import io.keel.test.EmbedderContractTest;
import io.keel.test.FakeOpenAiServer;
import org.junit.jupiter.api.AfterAll;

import java.time.Duration;

/**
 * The remote embedder over one endpoint without a pool (one attempt per request), against a fake that limits batches
 * to 4 texts and does not normalise: the contract holds with the adapter alone.
 */
class OpenAiEmbedderContractTest extends EmbedderContractTest {
    private final FakeOpenAiServer server = new FakeOpenAiServer().embeddingDimensions(24).maxEmbeddingBatch(4)
            .embeddingNorm(0.25).recording(false);

    @Override
    protected Embedder createEmbedder() {
        OpenAiEmbeddingModel model = new OpenAiEmbeddingModel(
                OpenAiConfig.openAi(java.net.URI.create(server.baseUri() + "/v1"), null).withTimeout(Duration.ofSeconds(5)),
                "e5-small");
        return new OpenAiEmbedder(new OpenAiEmbedderConfig("e5-small", 24, 16, 3, 128, 3.0, 100), model.name(), model::embed, null);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }
}
