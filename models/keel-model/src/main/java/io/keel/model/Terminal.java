package io.keel.model;

import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;

/** Delivers a stream's terminal callback without letting the listener's own exception escape {@code stream}. */
final class Terminal {
    private Terminal() {
    }

    static void complete(StreamListener listener, ChatResponse response) {
        try {
            listener.onComplete(response);
        } catch (RuntimeException ignored) {
            // exactly one terminal callback: it has been made, and its failure is the listener's own
        }
    }

    static void error(StreamListener listener, Throwable error) {
        try {
            listener.onError(error);
        } catch (RuntimeException ignored) {
            // as above
        }
    }
}
