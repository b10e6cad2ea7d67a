package io.keel.model;

import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.test.FakeAnthropicServer;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordingStreamListener;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelGatewayTest {
    private final FakeOpenAiServer vllm = new FakeOpenAiServer();
    private final FakeAnthropicServer anthropic = new FakeAnthropicServer();
    private final List<ModelCall> calls = new CopyOnWriteArrayList<>();
    private ModelGateway gateway;

    @BeforeEach
    void start() {
        List<Object> models = List.of(
                Map.of("name", "llama", "provider", "openai", "model", "meta-llama/Llama-3.1-8B-Instruct",
                        "endpoints", List.of(vllm.baseUri() + "/v1"), "timeout", "2s",
                        "price", Map.of("input_per_1m", 2.0, "output_per_1m", 6.0),
                        "retry", Map.of("max_attempts", 2, "backoff", "5ms"),
                        "fallback", List.of("claude")),
                Map.of("name", "claude", "provider", "anthropic", "model", "claude-sonnet-4",
                        "endpoints", List.of(Map.of("url", anthropic.baseUri().toString())),
                        "api_key_env", "ANTHROPIC_KEY", "timeout", "2s",
                        "price", Map.of("input_per_1m", 3.0, "output_per_1m", 15.0)));
        gateway = ModelGateway.fromConfig(models, Map.of("ANTHROPIC_KEY", "ak")::get, calls::add);
    }

    @AfterEach
    void stop() {
        gateway.close();
        vllm.close();
        anthropic.close();
    }

    private static ChatRequest ask(String model) {
        return ChatRequest.of(model, List.of(ChatMessage.user("What is Keel?")));
    }

    @Test
    void pricesProviderUsage() {
        vllm.enqueue(Reply.text("A framework.").withUsage(1000, 500));
        ChatResponse r = gateway.chat(ask("llama"));
        assertThat(r.model()).isEqualTo("llama");
        assertThat(r.usage().promptTokens()).isEqualTo(1000);
        assertThat(r.usage().costUsd()).isCloseTo(1000 * 2.0 / 1e6 + 500 * 6.0 / 1e6, within(1e-12));
        assertThat(r.usage().estimated()).isFalse();
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.usage()).isEqualTo(r.usage());
        });
    }

    @Test
    void streamedCallIsPricedExactlyLikeTheNonStreamedOne() {
        vllm.enqueue(Reply.text("A framework for AI.").withUsage(40, 5), Reply.text("A framework for AI.").withUsage(40, 5));
        Usage plain = gateway.chat(ask("llama")).usage();
        RecordingStreamListener c = new RecordingStreamListener();
        gateway.stream(ask("llama"), c);
        assertThat(c.completed.usage()).isEqualTo(plain);
        assertThat(c.completed.usage().costUsd()).isGreaterThan(0);
    }

    @Test
    void estimatesUsageWithATokenizerWhenTheProviderReportsNone() {
        vllm.enqueue(Reply.text("Keel is a production framework.").withoutUsage());
        RecordingStreamListener c = new RecordingStreamListener();
        gateway.stream(ask("llama"), c);
        Usage u = c.completed.usage();
        assertThat(u.estimated()).isTrue();
        assertThat(u.completionTokens()).isEqualTo(TokenEstimator.named("cl100k_base").count("Keel is a production framework."));
        assertThat(u.promptTokens()).isGreaterThan(4);
        assertThat(u.costUsd()).isGreaterThan(0);
    }

    @Test
    void fallsBackInOrderWhenThePrimaryFails() {
        vllm.defaultReply(Reply.status(503));
        anthropic.enqueue(Reply.text("From Claude.").withUsage(10, 3));
        ChatResponse r = gateway.chat(ask("llama"));
        assertThat(r.content()).isEqualTo("From Claude.");
        assertThat(r.model()).isEqualTo("claude");
        assertThat(r.usage().costUsd()).isCloseTo(10 * 3.0 / 1e6 + 3 * 15.0 / 1e6, within(1e-12));
        assertThat(vllm.requests()).hasSize(2);
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.requested()).isEqualTo("llama");
            assertThat(c.served()).isEqualTo("claude");
            assertThat(c.endpoints()).hasSize(3);
        });
    }

    @Test
    void doesNotFallBackOnABadRequest() {
        vllm.enqueue(Reply.status(400, "context length exceeded"));
        assertThatThrownBy(() -> gateway.chat(ask("llama"))).isInstanceOfSatisfying(KeelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(anthropic.requests()).isEmpty();
        assertThat(calls).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("invalid_request"));
    }

    @Test
    void brokenStreamIsReportedFailedWithPricedPartialUsageAndNeverFallsBack() {
        vllm.enqueue(Reply.text("Keel keeps the answer honest and complete").withResetAfterChunks(3));
        RecordingStreamListener c = new RecordingStreamListener();
        gateway.stream(ask("llama"), c);

        assertThat(c.completed).isNull();
        assertThat(c.terminals).isEqualTo(1);
        assertThat(c.tokens).containsExactly("Keel", " keeps", " the");
        assertThat(c.error).isInstanceOfSatisfying(StreamFailedException.class, e -> {
            assertThat(e.partial().content()).isEqualTo("Keel keeps the");
            assertThat(e.partial().usage().estimated()).isTrue();
            assertThat(e.partial().usage().completionTokens())
                    .isEqualTo(TokenEstimator.named("cl100k_base").count("Keel keeps the"));
            assertThat(e.partial().usage().costUsd()).isGreaterThan(0);
        });
        assertThat(anthropic.requests()).isEmpty();
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.ok()).isFalse();
            assertThat(call.stream()).isTrue();
            assertThat(call.usage().completionTokens()).isPositive();
        });
    }

    @Test
    void unknownModelIsNotFoundAndNamesTheConfiguredOnes() {
        assertThatThrownBy(() -> gateway.chat(ask("gpt-9"))).isInstanceOfSatisfying(KeelException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("llama, claude");
        });
        assertThat(gateway.modelNames()).containsExactly("llama", "claude");
    }

    @Test
    void missingApiKeyVariableFailsAtStartupNamingTheKey() {
        assertThatThrownBy(() -> ModelGateway.fromConfig(List.of(Map.of("name", "c", "provider", "anthropic",
                "endpoints", List.of("https://api.anthropic.com"), "api_key_env", "NOPE")), Map.<String, String>of()::get,
                ModelCallListener.NONE)).hasMessageContaining("models[0].api_key_env").hasMessageContaining("NOPE");
    }
}
