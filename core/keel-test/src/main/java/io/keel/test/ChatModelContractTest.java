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
 * timeout of at most two seconds so the time-out case stays quick. Besides the fixed cases, a seeded random run mixes
 * answers, streams, broken streams and errors; the seed is {@code -Dkeel.seed=N} when given, else a fixed one, and a
 * failure names it.
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

    protected final long seed = Long.getLong("keel.seed", 20261206L);

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

    /**
     * Random answers (words with escapes, quotes, non-ASCII and emoji), plain or streamed, some cut off after a few
     * chunks, some failing with a status: whatever arrives, the adapter returns exactly the text and usage the provider
     * sent, a stream's tokens concatenate to its final content, every stream ends with exactly one terminal callback,
     * and every failure is a typed {@link UpstreamException} with the right retry flag.
     */
    @Test
    void randomConversationsKeepTheContract() {
        java.util.Random random = new java.util.Random(seed);
        String[] words = {"alpha", "\"quoted\"", "back\\slash", "tab\there", "naïve", "日本語", "😀", "<b>", "&amp;", "line\nbreak"};
        for (int round = 0; round < 40; round++) {
            String context = "seed " + seed + ", round " + round + " (replay with -Dkeel.seed=" + seed + ")";
            StringBuilder text = new StringBuilder(words[random.nextInt(words.length)]);
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) text.append(' ').append(words[random.nextInt(words.length)]);
            int prompt = 1 + random.nextInt(5000);
            int completion = 1 + random.nextInt(500);
            boolean stream = random.nextBoolean();
            int kind = random.nextInt(10);
            if (kind == 0) {
                int status = random.nextBoolean() ? 503 : 400;
                upstream.enqueue(Reply.status(status, "injected " + status));
                Runnable call = stream ? () -> {
                    RecordingStreamListener rec = new RecordingStreamListener();
                    model.stream(hello(), rec);
                    assertThat(rec.terminals).as(context).isEqualTo(1);
                    if (rec.error != null) throw (RuntimeException) rec.error;
                } : () -> model.chat(hello());
                assertThatThrownBy(call::run).as(context).isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.retryable()).as(context).isEqualTo(status >= 500));
                continue;
            }
            Reply reply = Reply.text(text.toString()).withUsage(prompt, completion);
            if (!stream) {
                upstream.enqueue(reply);
                ChatResponse r = model.chat(hello());
                assertThat(r.content()).as(context).isEqualTo(text.toString());
                assertThat(r.usage()).as(context).isEqualTo(new Usage(prompt, completion, 0, false));
                continue;
            }
            boolean cut = kind == 1 && n >= 2;
            upstream.enqueue(cut ? reply.withResetAfterChunks(1 + random.nextInt(n)) : reply);
            RecordingStreamListener rec = new RecordingStreamListener();
            model.stream(hello(), rec);
            assertThat(rec.terminals).as(context).isEqualTo(1);
            if (cut) {
                assertThat(rec.completed).as(context).isNull();
                assertThat(rec.error).as(context).isInstanceOfSatisfying(StreamFailedException.class,
                        e -> assertThat(text.toString()).as(context).startsWith(e.partial().content()));
            } else {
                assertThat(rec.error).as(context).isNull();
                assertThat(String.join("", rec.tokens)).as(context).isEqualTo(text.toString());
                assertThat(rec.completed.content()).as(context).isEqualTo(text.toString());
                assertThat(rec.completed.usage()).as(context).isEqualTo(new Usage(prompt, completion, 0, false));
            }
        }
    }
}
