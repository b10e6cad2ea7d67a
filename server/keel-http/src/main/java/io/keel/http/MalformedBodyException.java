package io.keel.http;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

/**
 * A request body that could not be read as sent: broken chunked framing (a chunk size that is not hexadecimal), or a
 * body that stopped arriving ({@code server.read_timeout}). Answered 400 and then the connection is closed, since where
 * the next request would begin on it is unknown.
 */
public final class MalformedBodyException extends KeelException {
    public MalformedBodyException(String message, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message, cause);
    }
}
