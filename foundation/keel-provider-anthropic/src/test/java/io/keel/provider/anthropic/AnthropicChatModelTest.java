package io.keel.provider.anthropic;

import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCall;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.test.FakeAnthropicServer;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicChatModelTest {
    private final FakeAnthropicServer upstream = new FakeAnthropicServer();
    private final AnthropicChatModel model = new AnthropicChatModel(
            AnthropicConfig.of(upstream.baseUri(), "ak-test").withTimeout(Duration.ofSeconds(2)), "claude-sonnet-4", Map.of());
    private final ChatRequest hello = ChatRequest.of("x", List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")));

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void sendsSystemPromptSeparatelyAndReadsUsage() {
        upstream.enqueue(Reply.text("Hello!").withUsage(12, 3));
        ChatResponse r = model.chat(hello);

        assertThat(r.content()).isEqualTo("Hello!");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.usage()).isEqualTo(new Usage(12, 3, 0, false));
        RecordedRequest req = upstream.requests().getFirst();
        assertThat(req.header("x-api-key")).isEqualTo("ak-test");
        assertThat(req.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(req.json()).containsEntry("system", "Be brief.").containsEntry("max_tokens", 4096)
                .containsEntry("model", "claude-sonnet-4");
        assertThat(req.json().get("messages")).isEqualTo(List.of(Map.of("role", "user",
                "content", List.of(Map.of("type", "text", "text", "Hi")))));
    }

    @Test
    void streamsTextAndTakesUsageFromStartAndDeltaEvents() {
        upstream.enqueue(Reply.text("one two").withUsage(20, 2));
        List<String> tokens = new ArrayList<>();
        ChatResponse[] done = new ChatResponse[1];
        model.stream(hello, new StreamListener() {
            @Override
            public void onToken(String token) {
                tokens.add(token);
            }

            @Override
            public void onComplete(ChatResponse response) {
                done[0] = response;
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError(error);
            }
        });
        assertThat(tokens).containsExactly("one", " two");
        assertThat(done[0].usage()).isEqualTo(new Usage(20, 2, 0, false));
        assertThat(done[0].finishReason()).isEqualTo("stop");
    }

    @Test
    void toolUseAndToolResultsPassThrough() {
        ChatRequest followUp = ChatRequest.of("x", List.of(ChatMessage.user("Weather in Oslo?"),
                        ChatMessage.assistant(null, List.of(new ToolCall("toolu_1", "weather", "{\"city\":\"Oslo\"}"))),
                        ChatMessage.tool("toolu_1", "12C and rain")))
                .withTools(List.of(Map.of("type", "function", "function", Map.of("name", "weather",
                        "description", "Current weather", "parameters", Map.of("type", "object")))), "required");
        upstream.enqueue(Reply.toolCall("toolu_2", "weather", "{\"city\":\"Bergen\"}"),
                Reply.toolCall("toolu_3", "weather", "{\"city\":\"Tromso\"}"));

        ChatResponse r = model.chat(followUp);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("toolu_2", "weather", "{\"city\":\"Bergen\"}"));
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        Map<String, Object> sent = upstream.requests().getFirst().json();
        assertThat(sent.get("tools")).isEqualTo(List.of(Map.of("name", "weather", "description", "Current weather",
                "input_schema", Map.of("type", "object"))));
        assertThat(sent.get("tool_choice")).isEqualTo(Map.of("type", "any"));
        assertThat(sent.get("messages")).asList().element(2).isEqualTo(Map.of("role", "user", "content",
                List.of(Map.of("type", "tool_result", "tool_use_id", "toolu_1", "content", "12C and rain"))));

        List<ChatResponse> streamed = new ArrayList<>();
        model.stream(followUp, new StreamListener() {
            @Override
            public void onToken(String token) {
            }

            @Override
            public void onComplete(ChatResponse response) {
                streamed.add(response);
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError(error);
            }
        });
        assertThat(streamed.getFirst().toolCalls()).containsExactly(new ToolCall("toolu_3", "weather", "{\"city\":\"Tromso\"}"));
    }

    @Test
    void mapsRateLimitAndFailsClosedMidStream() {
        upstream.enqueue(Reply.rateLimited(Duration.ofSeconds(1)), Reply.text("a b c d").withResetAfterChunks(2));
        assertThatThrownBy(() -> model.chat(hello)).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(1));
        });
        Throwable[] error = new Throwable[1];
        model.stream(hello, new StreamListener() {
            @Override
            public void onToken(String token) {
            }

            @Override
            public void onComplete(ChatResponse response) {
                throw new AssertionError("a broken stream must not complete");
            }

            @Override
            public void onError(Throwable e) {
                error[0] = e;
            }
        });
        assertThat(error[0]).isInstanceOfSatisfying(StreamFailedException.class,
                e -> assertThat(e.partial().content()).isEqualTo("a b"));
    }
}
