package io.keel.openai.api;

import io.keel.core.guard.GuardVerdict;

/**
 * Guards the chat completions that configured models serve ({@code rag:} models already run the query pipeline's
 * guards). Implemented by the server wiring over the guard policy; must be thread-safe.
 */
public interface ChatGuard {
    /** Checks the last user message before the model sees it. */
    GuardVerdict input(String text);

    /** Checks a whole answer before the client sees it. */
    GuardVerdict output(String text);

    /** A new filter for one streamed answer. */
    OutputFilter stream();

    /** Holds back as much of a stream as it needs to judge it; one per response, used from one thread. */
    interface OutputFilter {
        /** Feeds one chunk; returns what may be sent now. */
        Release accept(String chunk);

        /** Ends the stream; returns whatever was still held. */
        Release finish();
    }

    /**
     * @param text    text safe to send on, possibly empty
     * @param blocked the answer must stop here (its finish reason becomes {@code content_filter})
     */
    record Release(String text, boolean blocked) {
    }

    /** Lets everything through. */
    ChatGuard NONE = new ChatGuard() {
        @Override
        public GuardVerdict input(String text) {
            return GuardVerdict.allow(text, "none");
        }

        @Override
        public GuardVerdict output(String text) {
            return GuardVerdict.allow(text, "none");
        }

        @Override
        public OutputFilter stream() {
            return new OutputFilter() {
                @Override
                public Release accept(String chunk) {
                    return new Release(chunk, false);
                }

                @Override
                public Release finish() {
                    return new Release("", false);
                }
            };
        }
    };
}
