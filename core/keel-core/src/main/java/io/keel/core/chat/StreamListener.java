package io.keel.core.chat;

/**
 * Receives a streamed chat response.
 *
 * <p>Contract, for every implementation of {@link ChatModel#stream}:
 * <ul>
 *   <li>All callbacks run on the thread that called {@code stream}, in order, never concurrently; {@code stream}
 *       returns only after the terminal callback has returned.</li>
 *   <li>Exactly one terminal callback is called, last: {@link #onComplete} when the provider finished the response,
 *       {@link #onError} otherwise. A stream that breaks after some tokens ends in {@code onError}, never in a
 *       truncated {@code onComplete}.</li>
 *   <li>An exception thrown by a callback aborts the stream; it is then reported once to {@link #onError} (unless
 *       {@code onError} itself threw) and never propagates out of {@code stream}.</li>
 * </ul>
 */
public interface StreamListener {
    /**
     * The next piece of generated text; never null. Empty only after a filtering stage held text back: the stream has
     * started, but nothing may be shown yet.
     */
    void onToken(String token);

    /** The next piece of a tool call. The default ignores it; the complete calls still arrive in {@link #onComplete}. */
    default void onToolCallDelta(ToolCallDelta delta) {
    }

    /** The provider finished; {@code response} holds the whole text, the tool calls and the usage. */
    void onComplete(ChatResponse response);

    /**
     * The stream failed. When tokens had already been delivered the error is a {@link StreamFailedException} whose
     * {@link StreamFailedException#partial() partial response} holds what arrived, with its usage where known.
     */
    void onError(Throwable error);
}
