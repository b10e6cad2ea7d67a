package io.keel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.error.ErrorCode;

/**
 * The JSON document an error is answered with. Keel's own routes use {@link #KEEL}; an API that mirrors another
 * vendor's (the OpenAI-compatible routes) supplies that vendor's shape.
 */
@FunctionalInterface
public interface ErrorEnvelope {
    /** Keel's envelope: {@code {"error":{"code":"invalid_request","message":"..."}}}. */
    ErrorEnvelope KEEL = (code, message) -> HttpJson.error(code.wireName(), message);

    /** The body answering {@code code} with {@code message}; the status is {@code code.httpStatus()}. */
    ObjectNode body(ErrorCode code, String message);
}
