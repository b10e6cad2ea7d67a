package io.keel.openai.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.error.ErrorCode;
import io.keel.http.ErrorEnvelope;
import io.keel.http.HttpJson;

import java.util.Set;

/**
 * OpenAI's error object, which the OpenAI-compatible routes answer with so SDKs raise their usual errors:
 * {@code {"error":{"message","type","param","code"}}}, {@code type} being OpenAI's family and {@code code} Keel's stable
 * code ({@code model_not_found} for an unknown model).
 */
public final class OpenAiErrors {
    /** The envelope of every OpenAI-compatible route. */
    public static final ErrorEnvelope ENVELOPE = OpenAiErrors::body;
    /** The setting that raises the request body limit of these routes. */
    static final String BODY_LIMIT = "server.max_chat_request_bytes";
    private static final Set<String> PATHS = Set.of("/v1/chat/completions", EmbeddingsRoute.ROUTE, "/v1/models");

    private OpenAiErrors() {
    }

    /** Whether {@code path} is one of the OpenAI-compatible routes, whose errors take {@link #ENVELOPE}. */
    public static boolean owns(String path) {
        return path != null && PATHS.contains(path);
    }

    private static ObjectNode body(ErrorCode code, String message) {
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        ObjectNode err = body.putObject("error");
        err.put("message", message);
        err.put("type", switch (code) {
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMITED, BUDGET_EXCEEDED -> "rate_limit_error";
            default -> code.httpStatus() >= 500 ? "server_error" : "invalid_request_error";
        });
        err.putNull("param");
        err.put("code", code == ErrorCode.NOT_FOUND ? "model_not_found" : code.wireName());
        return body;
    }
}
