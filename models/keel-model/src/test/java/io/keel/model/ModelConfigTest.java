package io.keel.model;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelConfigTest {
    private static Map<String, Object> ok(String name) {
        return Map.of("name", name, "provider", "openai", "endpoints", List.of("http://vllm:8000/v1"));
    }

    @Test
    void readsAFullEntryWithDefaults() {
        ModelConfig c = ModelConfig.listFrom(List.of(Map.of("name", "gpt", "provider", "azure-openai",
                "model", "gpt-4o", "api_version", "2024-10-21", "api_key_env", "AZURE_KEY",
                "endpoints", List.of(Map.of("url", "https://acme.openai.azure.com/openai/deployments/gpt4o")),
                "params", Map.of("temperature", 0.2), "price", Map.of("input_per_1m", 2.5, "output_per_1m", 10),
                "timeout", "20s", "retry", Map.of("max_attempts", 4)))).getFirst();
        assertThat(c.endpoints()).containsExactly(new EndpointConfig(URI.create("https://acme.openai.azure.com/openai/deployments/gpt4o")));
        assertThat(c.pricing()).isEqualTo(new Pricing(2.5, 10));
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.retry().maxAttempts()).isEqualTo(4);
        assertThat(c.retry().backoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.breaker()).isEqualTo(BreakerPolicy.DEFAULT);
        assertThat(c.streamUsage()).isTrue();
    }

    @Test
    void cachedPromptTokensArePricedAtTheCachedInputPrice() {
        Map<String, Object> gpt = Map.of("name", "gpt", "provider", "openai", "endpoints", List.of("https://api.openai.com/v1"),
                "price", Map.of("input_per_1m", 2.5, "output_per_1m", 10, "cached_input_per_1m", 1.25));
        Pricing p = ModelConfig.listFrom(List.of(gpt)).getFirst().pricing();
        // 600 uncached x $2.50 + 400 cached x $1.25 + 100 out x $10, per million
        assertThat(p.price(new io.keel.core.answer.Usage(1000, 100, 400, 0, false)).costUsd())
                .isCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(ModelConfig.listFrom(List.of(ok("x"))).getFirst().pricing().cachedInputPerMillion()).isZero();
        Map<String, Object> noCachePrice = Map.of("name", "gpt", "provider", "openai", "endpoints", List.of("https://api.openai.com/v1"),
                "price", Map.of("input_per_1m", 2.5, "output_per_1m", 10));
        assertThat(ModelConfig.listFrom(List.of(noCachePrice)).getFirst().pricing().cachedInputPerMillion()).isEqualTo(2.5);
    }

    @Test
    void aSelfHostedModelIsPricedByTheGpuHourOverItsThroughput() {
        Map<String, Object> vllm = Map.of("name", "llama", "provider", "openai", "endpoints", List.of("http://vllm:8000/v1"),
                "price", Map.of("gpu_hour_usd", 2.88, "tokens_per_second", 1600));
        Pricing p = ModelConfig.listFrom(List.of(vllm)).getFirst().pricing();
        // $2.88 / (3600 s x 1600 tokens/s) = $0.0000005 per token = $0.50 per million
        assertThat(p.inputPerMillion()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p.outputPerMillion()).isEqualTo(p.inputPerMillion());

        Map<String, Object> both = Map.of("name", "llama", "provider", "openai", "endpoints", List.of("http://vllm:8000/v1"),
                "price", Map.of("gpu_hour_usd", 2.88, "tokens_per_second", 1600, "input_per_1m", 1));
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(both))).hasMessageContaining("one or the other");
        Map<String, Object> cached = Map.of("name", "llama", "provider", "openai", "endpoints", List.of("http://vllm:8000/v1"),
                "price", Map.of("gpu_hour_usd", 2.88, "tokens_per_second", 1600, "cached_input_per_1m", 1));
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(cached)))
                .hasMessageContaining("'models[0].price.gpu_hour_usd' replaces input_per_1m, output_per_1m and cached_input_per_1m");
        Map<String, Object> half = Map.of("name", "llama", "provider", "openai", "endpoints", List.of("http://vllm:8000/v1"),
                "price", Map.of("gpu_hour_usd", 2.88));
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(half))).hasMessageContaining("tokens_per_second");
    }

    @Test
    void errorsNameTheFullKeyPath() {
        Map<String, Object> badUrl = Map.of("name", "x", "provider", "openai", "endpoints", List.of("http://a/v1", "ftp://b"));
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(ok("a"), ok("b"), badUrl)))
                .isInstanceOf(KeelException.class).hasMessageStartingWith("configuration key 'models[2].endpoints[1].url' must be an http(s) URL");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "bedrock",
                "endpoints", List.of("http://a")))))
                .hasMessageStartingWith("configuration key 'models[0].provider' names 'bedrock', which is not an available chat provider "
                        + "backend; available: [anthropic, azure-openai, openai]");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "anthropic", "kind", "embedding",
                "endpoints", List.of("http://a")))))
                .hasMessageStartingWith("configuration key 'models[0].provider' is 'anthropic', which serves no embeddings through Keel");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "openai",
                "endpoints", List.of("http://a"), "retry", Map.of("max_atempts", 2)))))
                .hasMessageStartingWith("unknown configuration key 'models[0].retry.max_atempts' (did you mean 'max_attempts'?)");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "openai",
                "endpoints", List.of("http://a"), "timeout", "soon"))))
                .hasMessageStartingWith("configuration key 'models[0].timeout' must be a duration such as");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "azure-openai",
                "endpoints", List.of("https://a")))))
                .hasMessageStartingWith("configuration key 'models[0].api_version' is required");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "openai",
                "endpoints", List.of("http://a"), "timeout", "0s"))))
                .hasMessageStartingWith("configuration key 'models[0].timeout' must be at least 0.001s");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(ok("a"), Map.of("name", "x", "provider", "openai",
                "endpoints", List.of("http://a"), "price", Map.of("input_per_1m", "cheap")))))
                .hasMessageStartingWith("configuration key 'models[1].price.input_per_1m' must be a number; got 'cheap'");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "openai",
                "endpoints", List.of("http://a"), "pricing", Map.of("input_per_1m", 1)))))
                .hasMessageContaining("'models[0].pricing' is not a model key: prices go in 'price:");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(Map.of("name", "x", "provider", "openai",
                "endpoints", List.of("http://a"), "prams", Map.of()))))
                .hasMessageStartingWith("unknown configuration key 'models[0].prams' (did you mean 'params'?)");
    }

    @Test
    void fallbackMustNameDeclaredModelsAndNamesMustBeUnique() {
        Map<String, Object> withFallback = Map.of("name", "a", "provider", "openai", "endpoints", List.of("http://a"),
                "fallback", List.of("b", "c"));
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(withFallback, ok("b"))))
                .hasMessageStartingWith("configuration key 'models[0].fallback[1]' 'c' is not a declared chat model; declared: a, b");
        assertThatThrownBy(() -> ModelConfig.listFrom(List.of(ok("a"), ok("a"))))
                .hasMessageStartingWith("configuration key 'models[1].name' 'a' is declared twice");
    }

    @Test
    void jitteredBackoffStaysWithinItsExponentialCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(1));
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 200; i++) {
            assertThat(p.delayBefore(2, r)).isBetween(Duration.ZERO, Duration.ofMillis(100));
            assertThat(p.delayBefore(3, r)).isBetween(Duration.ZERO, Duration.ofMillis(200));
            assertThat(p.delayBefore(5, r)).isBetween(Duration.ZERO, Duration.ofMillis(300));
        }
    }
}
