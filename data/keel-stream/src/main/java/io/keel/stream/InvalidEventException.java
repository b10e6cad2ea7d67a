package io.keel.stream;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

/**
 * An event that cannot be applied as it is: not JSON, a missing or malformed field, an unknown field. The message
 * names the field and says what is expected. Redelivering the same event fails the same way, so sources reject it
 * (the HTTP response says why, Kafka sends it to the dead-letter topic) and go on with the next one.
 */
public final class InvalidEventException extends KeelException {
    public InvalidEventException(String message) {
        super(ErrorCode.UNPROCESSABLE, message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(ErrorCode.UNPROCESSABLE, message, cause);
    }
}
