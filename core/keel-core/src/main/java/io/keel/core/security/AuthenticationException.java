package io.keel.core.security;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

/** A missing, malformed, unknown, expired or revoked credential: 401. The message never echoes the secret. */
public final class AuthenticationException extends KeelException {
    public AuthenticationException(String message) {
        super(ErrorCode.UNAUTHORIZED, message);
    }
}
