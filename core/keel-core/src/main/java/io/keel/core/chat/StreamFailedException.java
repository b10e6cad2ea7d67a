package io.keel.core.chat;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.Objects;

/**
 * A stream broke after it had started delivering tokens. It is a failure, never a short success: callers must not
 * present {@link #partial()} as a complete answer. Not retryable as a whole, because the client has already seen
 * part of the answer; {@link #upstreamCode()} keeps the code of the underlying failure.
 */
public final class StreamFailedException extends KeelException {
    private final ChatResponse partial;
    private final ErrorCode upstreamCode;

    public StreamFailedException(String message, ChatResponse partial, ErrorCode upstreamCode, Throwable cause) {
        super(ErrorCode.UPSTREAM_ERROR, message, cause);
        this.partial = Objects.requireNonNull(partial, "partial");
        this.upstreamCode = Objects.requireNonNull(upstreamCode, "upstreamCode");
    }

    /** What arrived before the break: text, tool calls so far, and usage (reported, estimated, or null). */
    public ChatResponse partial() {
        return partial;
    }

    public ErrorCode upstreamCode() {
        return upstreamCode;
    }

    /** Same failure with the partial response replaced, e.g. once usage has been estimated and priced. */
    public StreamFailedException withPartial(ChatResponse newPartial) {
        StreamFailedException e = new StreamFailedException(getMessage(), newPartial, upstreamCode, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
