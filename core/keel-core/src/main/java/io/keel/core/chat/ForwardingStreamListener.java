package io.keel.core.chat;

import java.util.Objects;

/**
 * A listener that hands every event on to the next one: the base of the listeners that stages wrap around a stream
 * (budget settlement, the output guard's filter, the request log). Subclasses override only the events they act on.
 */
public abstract class ForwardingStreamListener implements StreamListener {
    protected final StreamListener next;

    protected ForwardingStreamListener(StreamListener next) {
        this.next = Objects.requireNonNull(next, "next");
    }

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
        next.onComplete(response);
    }

    @Override
    public void onError(Throwable error) {
        next.onError(error);
    }
}
