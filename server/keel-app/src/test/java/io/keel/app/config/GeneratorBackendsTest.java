package io.keel.app.config;

import io.keel.core.error.KeelException;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.Generator;
import io.keel.core.spi.GeneratorContext;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.rag.PromptSource;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code generator.backend}: generators found by name, with the old configurations still choosing as before. */
class GeneratorBackendsTest {
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.createDefault();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static GeneratorConfig generator(Map<String, Object> section) {
        return KeelConfig.fromTree(Map.of("generator", section), Map.of()).generator();
    }

    private static final List<SearchHit> HITS = List.of(
            new SearchHit("doc-1", "chunk-1", 0.9f, "Book travel through the travel portal. Receipts go to finance.",
                    "handbook/travel.md", "Travel", List.of(), Map.of()));

    @Test
    void theBackendFollowsTheModelWhenNotNamed() {
        assertThat(KeelConfig.defaults().generator().backend()).isEqualTo("extractive");
        assertThat(generator(Map.of("model", "m")).backend()).isEqualTo("model");
        assertThat(generator(Map.of("backend", "extractive", "model", "m")).backend()).isEqualTo("extractive");
        assertThat(new GeneratorConfig("m", false, null, null, null).backend()).isEqualTo("model");
    }

    @Test
    void badBackendsFailWhenTheConfigurationLoads() {
        assertThatThrownBy(() -> generator(Map.of("backend", "abstractive")))
                .isInstanceOf(KeelException.class)
                .hasMessageStartingWith("configuration key 'generator.backend' names 'abstractive', which is not an available "
                        + "generator backend; available: [extractive, model]");
        assertThatThrownBy(() -> generator(Map.of("backend", "model")))
                .isInstanceOf(KeelException.class)
                .hasMessageStartingWith("configuration key 'generator.model' is required when generator.backend is model");
        assertThatThrownBy(() -> generator(Map.of("backend", "extractive", "extractive", Map.of("max_sentences", 0))))
                .isInstanceOf(KeelException.class).hasMessageContaining("max_sentences");
    }

    @Test
    void eachBackendAnswersByName() {
        try (FakeOpenAiServer upstream = new FakeOpenAiServer();
             ModelGateway gateway = ModelGateway.fromConfig(List.of(Map.of("name", "gpt", "provider", "openai",
                     "endpoints", List.of(upstream.baseUri() + "/v1"))), k -> null, ModelCallListener.NONE)) {
            upstream.enqueue(Reply.text("Use the travel portal [1]."));
            Generation byModel = create(generator(Map.of("model", "gpt")), gateway).generate(request());
            assertThat(byModel.generator()).isEqualTo("gpt");
            assertThat(byModel.text()).isEqualTo("Use the travel portal [1].");
            assertThat(upstream.requests()).hasSize(1);

            Generation extractive = create(generator(Map.of("backend", "extractive", "model", "gpt")), gateway).generate(request());
            assertThat(extractive.generator()).isEqualTo("extractive");
            assertThat(extractive.text()).contains("travel portal");
            assertThat(upstream.requests()).as("the extractive backend asks no model").hasSize(1);

            upstream.enqueue(Reply.status(500, "down"));
            upstream.enqueue(Reply.status(500, "down"));
            upstream.enqueue(Reply.status(500, "down"));
            Generation fallback = create(generator(Map.of("model", "gpt", "fallback_to_extractive", true)), gateway).generate(request());
            assertThat(fallback.generator()).isEqualTo("extractive (fallback from gpt)");
        }
    }

    @Test
    void aModelThatIsNotConfiguredIsNamedWithTheAvailableOnes() {
        try (FakeOpenAiServer upstream = new FakeOpenAiServer();
             ModelGateway gateway = ModelGateway.fromConfig(List.of(Map.of("name", "gpt", "provider", "openai",
                     "endpoints", List.of(upstream.baseUri() + "/v1"))), k -> null, ModelCallListener.NONE)) {
            assertThatThrownBy(() -> create(generator(Map.of("model", "claude")), gateway))
                    .isInstanceOf(KeelException.class)
                    .hasMessageStartingWith("configuration key 'generator.model' names 'claude', which is not a chat model")
                    .hasMessageEndingWith("[gpt]");
            assertThatThrownBy(() -> create(generator(Map.of("model", "gpt")), null))
                    .isInstanceOf(KeelException.class).hasMessageEndingWith("[]");
        }
    }

    private static Generator create(GeneratorConfig config, ModelGateway gateway) {
        return config.factory().create(new GeneratorContext(config.section(), embedder, gateway, null,
                Map.of(PromptSource.Settings.class, new PromptSource.Settings(null, null, null))));
    }

    private static GenerationRequest request() {
        return new GenerationRequest("How do I book travel?", embedder.embedQuery("How do I book travel?"), HITS);
    }
}
