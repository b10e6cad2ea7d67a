package io.keel.core.pipeline.chat;

import io.keel.core.answer.Usage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.pipeline.Stage;

import java.util.Objects;

/**
 * Reserves the model call's worst-case cost against the caller's budgets before it runs (refusing it with 429 when a
 * budget cannot cover it) and settles the reservation with the actual usage when the response, or the stream, ends —
 * failed or not. The one place budgets are enforced, for every route that calls a model.
 */
public final class SpendStage implements Stage<ChatExchange, ChatResult> {
    private final SpendControl spend;

    public SpendStage(SpendControl spend) {
        this.spend = Objects.requireNonNull(spend, "spend");
    }

    @Override
    public String name() {
        return "spend";
    }

    @Override
    public String timingKey() {
        return "spend";
    }

    @Override
    public ChatResult handle(ChatExchange request, Chain<ChatExchange, ChatResult> chain) {
        SpendControl.Hold hold = spend.reserve(request.caller(), request.chat());
        ChatResult result;
        try {
            result = chain.proceed(request);
        } catch (RuntimeException | Error e) {
            hold.settle(Usage.ZERO);
            throw e;
        }
        if (result.stream() == null) {
            hold.settle(result.usage());
            return result;
        }
        return result.withStream(result.stream().through(next -> new Settling(hold, next)));
    }

    /** Settles when the stream ends: with its usage, or with what a broken stream reported. */
    private record Settling(SpendControl.Hold hold, StreamListener next) implements StreamListener {
        @Override
        public void onToken(String token) {
            next.onToken(token);
        }

        @Override
        public void onToolCallDelta(ToolCallDelta delta) {
            next.onToolCallDelta(delta);
        }

        @Override
        public void onComplete(ChatResponse response) {
            hold.settle(response.usage());
            next.onComplete(response);
        }

        @Override
        public void onError(Throwable error) {
            Usage usage = error instanceof StreamFailedException sf && sf.partial().usage() != null ? sf.partial().usage() : Usage.ZERO;
            hold.settle(usage);
            next.onError(error);
        }
    }
}
