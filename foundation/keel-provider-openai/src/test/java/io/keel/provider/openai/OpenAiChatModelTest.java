package io.keel.provider.openai;

import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.ToolCall;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordingStreamListener;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiChatModelTest {
    private final FakeOpenAiServer upstream = new FakeOpenAiServer();
    private final OpenAiChatModel model = new OpenAiChatModel(
            OpenAiConfig.openAi(URI.create(upstream.baseUri() + "/v1"), "sk-test").withTimeout(Duration.ofMillis(800)),
            "llama-3-8b", Map.of("temperature", 0.1));
    private final ChatRequest hello = ChatRequest.of("ignored", List.of(ChatMessage.system("Be brief."),
            ChatMessage.user("Say hello")));

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void completesAndSendsTheOpenAiRequest() {
        upstream.enqueue(Reply.text("Hello there").withUsage(11, 2));
        ChatResponse r = model.chat(hello.withMaxTokens(64));

        assertThat(r.content()).isEqualTo("Hello there");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.usage()).isEqualTo(new Usage(11, 2, 0, false));
        RecordedRequest req = upstream.requests().getFirst();
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(req.json()).containsEntry("model", "llama-3-8b").containsEntry("max_tokens", 64)
                .containsEntry("temperature", 0.1).doesNotContainKey("stream");
        assertThat(req.json().get("messages")).asList().hasSize(2);
    }

    @Test
    void streamsTokensAndAsksForUsage() {
        upstream.enqueue(Reply.text("one two three").withUsage(7, 3));
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello, rec);

        assertThat(rec.tokens).containsExactly("one", " two", " three");
        assertThat(rec.completed.content()).isEqualTo("one two three");
        assertThat(rec.completed.usage()).isEqualTo(new Usage(7, 3, 0, false));
        assertThat(rec.error).isNull();
        assertThat(rec.terminals).isEqualTo(1);
        assertThat(upstream.requests().getFirst().json()).containsEntry("stream", true)
                .containsEntry("stream_options", Map.of("include_usage", true));
    }

    @Test
    void streamWithoutUsageCompletesWithNullUsage() {
        upstream.enqueue(Reply.text("a b").withoutUsage());
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello, rec);
        assertThat(rec.completed.usage()).isNull();
        assertThat(rec.completed.content()).isEqualTo("a b");
    }

    @Test
    void toolCallsPassThroughInBothModes() {
        List<Map<String, Object>> tools = List.of(Map.of("type", "function",
                "function", Map.of("name", "weather", "parameters", Map.of("type", "object"))));
        ChatRequest withTools = hello.withTools(tools, "auto");
        upstream.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Oslo\"}"),
                Reply.toolCall("call_2", "weather", "{\"city\":\"Bergen\"}"));

        ChatResponse r = model.chat(withTools);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}"));
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        assertThat(upstream.requests().getFirst().json()).containsEntry("tool_choice", "auto").containsKey("tools");

        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(withTools, rec);
        assertThat(rec.completed.toolCalls()).containsExactly(new ToolCall("call_2", "weather", "{\"city\":\"Bergen\"}"));
        assertThat(rec.deltas).first().satisfies(d -> assertThat(d.name()).isEqualTo("weather"));
    }

    @Test
    void mapsStatusesOntoRetryableAndNonRetryableErrors() {
        upstream.enqueue(Reply.rateLimited(Duration.ofSeconds(3)), Reply.status(401), Reply.status(503), Reply.status(400));

        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3));
        });
        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("HTTP 400");
        });
    }

    @Test
    void malformedJsonIsARetryableUpstreamError() {
        upstream.enqueue(Reply.malformedJson());
        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
            assertThat(e.getMessage()).contains("malformed");
        });
    }

    @Test
    void slowFirstByteWithinTheTimeoutSucceedsAndAHangTimesOut() {
        upstream.enqueue(Reply.text("late").withFirstByteDelay(Duration.ofMillis(200)), Reply.hang());
        assertThat(model.chat(hello).content()).isEqualTo("late");
        long start = System.nanoTime();
        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void resetMidStreamFailsClosedWithThePartialResponse() {
        upstream.enqueue(Reply.text("alpha beta gamma delta").withResetAfterChunks(2));
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello, rec);

        assertThat(rec.completed).isNull();
        assertThat(rec.terminals).isEqualTo(1);
        assertThat(rec.tokens).containsExactly("alpha", " beta");
        assertThat(rec.error).isInstanceOfSatisfying(StreamFailedException.class, e -> {
            assertThat(e.partial().content()).isEqualTo("alpha beta");
            assertThat(e.retryable()).isFalse();
        });
    }

    @Test
    void resetBeforeAnyTokenIsARetryableError() {
        upstream.enqueue(Reply.resetBeforeResponse());
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello, rec);
        assertThat(rec.error).isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void stalledStreamTimesOut() {
        upstream.enqueue(Reply.text("slow stream here").withChunkDelay(Duration.ofSeconds(2)));
        RecordingStreamListener rec = new RecordingStreamListener();
        long start = System.nanoTime();
        model.stream(hello, rec);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
        assertThat(rec.error).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void malformedStreamEventFailsTheStream() {
        upstream.enqueue(Reply.malformedJson());
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello, rec);
        assertThat(rec.completed).isNull();
        assertThat(rec.error).isInstanceOf(UpstreamException.class).hasMessageContaining("not JSON");
    }

    @Test
    void azureUsesDeploymentUrlApiVersionAndApiKeyHeader() {
        OpenAiChatModel azure = new OpenAiChatModel(OpenAiConfig.azure(
                URI.create(upstream.baseUri() + "/openai/deployments/gpt4o-prod"), "az-key", "2024-10-21"),
                "gpt-4o", Map.of());
        upstream.enqueue(Reply.text("hi from azure"));
        assertThat(azure.chat(hello).model()).isEqualTo("gpt4o-prod");
        RecordedRequest req = upstream.requests().getFirst();
        assertThat(req.path()).isEqualTo("/openai/deployments/gpt4o-prod/chat/completions");
        assertThat(req.queryParam("api-version")).isEqualTo("2024-10-21");
        assertThat(req.header("api-key")).isEqualTo("az-key");
        assertThat(req.header("authorization")).isNull();
    }

    @Test
    void embeddingsComeBackInInputOrder() {
        OpenAiEmbeddingModel emb = new OpenAiEmbeddingModel(
                OpenAiConfig.openAi(URI.create(upstream.baseUri() + "/v1"), null), "text-embedding-3-small");
        io.keel.openai.protocol.Embeddings out = emb.embed(List.of("first text", "second"));
        assertThat(out.vectors()).hasSize(2);
        assertThat(out.vectors().get(1)).containsExactly(FakeOpenAiServer.vector("second", 8));
        assertThat(out.promptTokens()).isEqualTo(3);
    }
}
