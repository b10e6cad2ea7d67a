package io.keel.test;

import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.ToolCall;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link ChatModel} adapter owes Keel, run against the provider's fake server. A provider module
 * extends this class and says how to start its fake and point its adapter at it; the adapter must use a per-attempt
 * timeout of at most two seconds so the time-out case stays quick.
 */
public abstract class ChatModelContractTest {
    protected FakeHttpServer<?> upstream;
    protected ChatModel model;

    /** A started fake speaking the provider's protocol. */
    protected abstract FakeHttpServer<?> startUpstream();

    /** The adapter under test, pointed at {@code upstream}. */
    protected abstract ChatModel createModel(FakeHttpServer<?> upstream);

    @BeforeEach
    void setUpContract() {
        upstream = startUpstream();
        model = createModel(upstream);
    }

    @AfterEach
    void tearDownContract() {
        upstream.close();
    }

    protected static ChatRequest hello() {
        return ChatRequest.of("any", List.of(ChatMessage.system("Be brief."), ChatMessage.user("Say hello")));
    }

    @Test
    void completesWithTheProvidersExactUsage() {
        upstream.enqueue(Reply.text("Hello there").withUsage(17, 2));
        ChatResponse r = model.chat(hello());
        assertThat(r.content()).isEqualTo("Hello there");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.usage()).isEqualTo(new Usage(17, 2, 0, false));
    }

    @Test
    void reportsPromptTokensReadFromTheProvidersCache() {
        upstream.enqueue(Reply.text("Hello").withUsage(1200, 4).withCachedTokens(1024),
                Reply.text("Hello again").withUsage(1200, 4).withCachedTokens(1024));
        assertThat(model.chat(hello()).usage()).isEqualTo(new Usage(1200, 4, 1024, 0.0, false));
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello(), rec);
        assertThat(rec.completed.usage()).isEqualTo(new Usage(1200, 4, 1024, 0.0, false));
    }

    @Test
    void streamsEveryTokenThenCompletesExactlyOnceOnTheCallingThread() {
        upstream.enqueue(Reply.text("one two three").withUsage(5, 3));
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello(), rec);
        assertThat(rec.tokens).containsExactly("one", " two", " three");
        assertThat(rec.terminals).isEqualTo(1);
        assertThat(rec.completed.content()).isEqualTo("one two three");
        assertThat(rec.completed.usage()).isEqualTo(new Usage(5, 3, 0, false));
        assertThat(rec.threads).containsOnly(Thread.currentThread());
    }

    @Test
    void streamBrokenMidwayFailsClosedWithWhatArrived() {
        upstream.enqueue(Reply.text("alpha beta gamma delta").withResetAfterChunks(2));
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(hello(), rec);
        assertThat(rec.completed).isNull();
        assertThat(rec.terminals).isEqualTo(1);
        assertThat(rec.error).isInstanceOfSatisfying(StreamFailedException.class,
                e -> assertThat(e.partial().content()).isEqualTo("alpha beta"));
    }

    @Test
    void rateLimitIsRetryableAndCarriesRetryAfter() {
        upstream.enqueue(Reply.rateLimited(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> model.chat(hello())).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(2));
        });
    }

    @Test
    void serverErrorIsRetryableAndBadRequestIsNot() {
        upstream.enqueue(Reply.status(500), Reply.status(400, "bad parameter"));
        assertThatThrownBy(() -> model.chat(hello())).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> model.chat(hello())).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("bad parameter");
        });
    }

    @Test
    void malformedResponseIsARetryableUpstreamError() {
        upstream.enqueue(Reply.malformedJson());
        assertThatThrownBy(() -> model.chat(hello())).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
    }

    @Test
    void hangingUpstreamTimesOut() {
        upstream.enqueue(Reply.hang());
        assertThatThrownBy(() -> model.chat(hello())).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void toolCallsPassThroughStreamedAndNot() {
        ChatRequest withTools = hello().withTools(List.of(Map.of("type", "function", "function",
                Map.of("name", "lookup", "parameters", Map.of("type", "object")))), "auto");
        upstream.enqueue(Reply.toolCall("call_a", "lookup", "{\"q\":\"a\"}"), Reply.toolCall("call_b", "lookup", "{\"q\":\"b\"}"));
        ChatResponse r = model.chat(withTools);
        assertThat(r.toolCalls()).containsExactly(new ToolCall("call_a", "lookup", "{\"q\":\"a\"}"));
        assertThat(r.finishReason()).isEqualTo("tool_calls");
        RecordingStreamListener rec = new RecordingStreamListener();
        model.stream(withTools, rec);
        assertThat(rec.completed.toolCalls()).containsExactly(new ToolCall("call_b", "lookup", "{\"q\":\"b\"}"));
    }
}
