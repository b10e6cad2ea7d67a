package io.keel.model;

import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;

/**
 * Forwards a stream's tokens to the caller while noting whether anything was delivered, and holds the terminal
 * callback back: the pool and the gateway decide whether a failure may still be retried (nothing delivered yet)
 * before the caller hears of it.
 */
final class HeldTerminalRelay implements StreamListener {
    private final StreamListener target;
    boolean started;
    ChatResponse completed;
    Throwable error;

    HeldTerminalRelay(StreamListener target) {
        this.target = target;
    }

    @Override
    public void onToken(String token) {
        started = true;
        target.onToken(token);
    }

    @Override
    public void onToolCallDelta(ToolCallDelta delta) {
        started = true;
        target.onToolCallDelta(delta);
    }

    @Override
    public void onComplete(ChatResponse response) {
        completed = response;
    }

    @Override
    public void onError(Throwable e) {
        error = e;
    }
}
