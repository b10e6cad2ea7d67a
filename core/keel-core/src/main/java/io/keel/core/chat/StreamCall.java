package io.keel.core.chat;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

/**
 * Runs one provider stream and makes exactly one terminal callback, as {@link StreamListener} promises: completion
 * with what was read, or an error — a {@link StreamFailedException} carrying the partial response once tokens had
 * been delivered, so a broken stream is never mistaken for a short answer. Providers write only the reading.
 */
public final class StreamCall {
    /** What a provider's stream has produced so far. */
    public interface Progress {
        /** Whether anything was delivered to the listener. */
        boolean started();

        /** The response as read so far (the whole response once the stream ended). */
        ChatResponse response();

        static Progress of(java.util.function.BooleanSupplier started, java.util.function.Supplier<ChatResponse> response) {
            return new Progress() {
                @Override
                public boolean started() {
                    return started.getAsBoolean();
                }

                @Override
                public ChatResponse response() {
                    return response.get();
                }
            };
        }
    }

    private StreamCall() {
    }

    /**
     * @param provider names the provider in error messages
     * @param read     sends the request and relays the stream to the listener; throws on failure
     */
    public static void run(String provider, StreamListener listener, Progress progress, Runnable read) {
        try {
            read.run();
        } catch (KeelException e) {
            fail(provider, listener, progress, e);
            return;
        } catch (RuntimeException e) {
            fail(provider, listener, progress, new KeelException(ErrorCode.INTERNAL, "stream listener failed: " + e, e));
            return;
        }
        try {
            listener.onComplete(progress.response());
        } catch (RuntimeException ignored) {
            // the one terminal callback has been made; a listener that throws from it gets no second one
        }
    }

    private static void fail(String provider, StreamListener listener, Progress progress, KeelException e) {
        KeelException reported = progress.started()
                ? new StreamFailedException(provider + " stream broke: " + e.getMessage(), progress.response(), e.code(), e)
                : e;
        try {
            listener.onError(reported);
        } catch (RuntimeException ignored) {
            // nothing more to tell
        }
    }
}
