package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatResponse;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.ResponseStream;
import io.keel.core.pipeline.RouteResponse;
import io.keel.core.spi.RequestRecord;

import java.util.List;
import java.util.Objects;

/**
 * The chat route's response: a whole {@link ChatResponse}, or a {@link ResponseStream} the route handler starts.
 *
 * @param response  the whole response (null while a stream has not ended)
 * @param stream    the stream to deliver, or null
 * @param delivered for an ended stream, the text the client received; null otherwise
 * @param refusal   why the input guard refused the request, or null when it did not
 */
public record ChatResult(String id, ChatResponse response, ResponseStream stream, String delivered, Lineage lineage,
                         String refusal) implements RouteResponse<ChatResult> {
    public ChatResult {
        Objects.requireNonNull(id, "id");
        if ((response == null) == (stream == null) && delivered == null) {
            throw new IllegalArgumentException("a chat result is a response or a stream");
        }
    }

    public static ChatResult of(String id, ChatResponse response, Lineage lineage) {
        return new ChatResult(id, response, null, null, lineage, null);
    }

    public static ChatResult streaming(String id, ResponseStream stream, Lineage lineage) {
        return new ChatResult(id, null, stream, null, lineage, null);
    }

    /** The input guard's refusal: answered as the assistant's message with finish reason {@code content_filter}. */
    public static ChatResult refused(String id, String model, String text, String reason, Lineage lineage) {
        ChatResponse r = new ChatResponse(id, model, text, List.of(), OutputGuardStage.CONTENT_FILTER, Usage.ZERO);
        return new ChatResult(id, r, null, null, lineage, reason == null ? "blocked" : reason);
    }

    @Override
    public ChatResult withLineage(Lineage l) {
        return new ChatResult(id, response, stream, delivered, l, refusal);
    }

    @Override
    public ChatResult withTimings(Timings timings) {
        return this;
    }

    @Override
    public Usage usage() {
        return response == null || response.usage() == null ? Usage.ZERO : response.usage();
    }

    @Override
    public String status() {
        return refusal == null ? "ok" : "blocked";
    }

    @Override
    public String guardedText() {
        return stream != null || response == null ? null : response.content();
    }

    @Override
    public ChatResult withGuardedText(String text, boolean blocked) {
        return new ChatResult(id, response.withContent(text, blocked ? OutputGuardStage.CONTENT_FILTER : response.finishReason()),
                null, null, lineage, refusal);
    }

    @Override
    public ResponseStream stream() {
        return stream;
    }

    @Override
    public ChatResult withStream(ResponseStream s) {
        return new ChatResult(id, null, Objects.requireNonNull(s, "stream"), null, lineage, refusal);
    }

    /**
     * The ended stream; the model that answered (a fallback may have) goes into lineage.
     *
     * @param finished the provider's whole (or partial) response, or null when nothing is known of it
     */
    @Override
    public ChatResult streamed(ChatResponse finished, String text) {
        Lineage l = lineage;
        if (finished != null && finished.model() != null && l != null && !finished.model().equals(l.generator())) {
            l = l.withGenerator(finished.model(), null, l.promptId(), l.promptVersion());
        }
        return new ChatResult(id, finished, null, text, l, refusal);
    }

    @Override
    public void describe(RequestRecord.Builder record) {
        String answer = delivered != null ? delivered : response == null ? null : response.content();
        record.answer(answer);
        if (refusal != null) record.error(refusal);
    }
}
