package io.keel.core.pipeline.chat;

import io.keel.core.answer.Usage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ForwardingStreamListener;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamListener;
import io.keel.core.pipeline.NamedStage;

import java.util.Objects;

/**
 * Reserves the model call's worst-case cost against the caller's budgets before it runs (refusing it with 429 when a
 * budget cannot cover it) and settles the reservation with the actual usage when the response, or the stream, ends —
 * failed or not. The one place budgets are enforced, for every route that calls a model.
 */
public final class SpendStage extends NamedStage<ChatExchange, ChatResult> {
    private final SpendControl spend;

    public SpendStage(SpendControl spend) {
        super("spend", "spend");
        this.spend = Objects.requireNonNull(spend, "spend");
    }

    @Override
    public ChatResult handle(ChatExchange request, Chain<ChatExchange, ChatResult> chain) {
        if (spend == SpendControl.NONE) return chain.proceed(request); // no budgets: nothing to reserve or settle
        SpendControl.Hold hold = spend.reserve(request.caller(), request.chat());
        if (hold == SpendControl.Hold.NONE) return chain.proceed(request); // no budget applies to this caller
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
    private static final class Settling extends ForwardingStreamListener {
        private final SpendControl.Hold hold;

        Settling(SpendControl.Hold hold, StreamListener next) {
            super(next);
            this.hold = hold;
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
