package io.keel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.ErrorCode;

/** JSON responses: the shared mapper, bodies, and errors in an {@link ErrorEnvelope}. */
public final class HttpJson {
    /** Reads and writes every JSON body of Keel's routes; a request with a duplicate key is refused. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private HttpJson() {
    }

    /** Keel's error document {@code {"error":{"code","message"}}}. */
    public static ObjectNode error(String code, String message) {
        ObjectNode n = MAPPER.createObjectNode();
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return n;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Answers {@code status} with {@code body} as {@code application/json}. */
    public static void send(ServerResponse res, int status, JsonNode body) {
        send(res, status, body, MAPPER);
    }

    /** As {@link #send(ServerResponse, int, JsonNode)}, written by {@code mapper} (an API with its own number writing). */
    public static void send(ServerResponse res, int status, JsonNode body, ObjectMapper mapper) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        sendBytes(res, status, json);
    }

    /** Answers {@code status} with an already serialised JSON document. */
    public static void sendBytes(ServerResponse res, int status, byte[] json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    /** Answers {@code code}'s status with {@code message} in {@code envelope}. */
    public static void sendError(ServerResponse res, ErrorEnvelope envelope, ErrorCode code, String message) {
        send(res, code.httpStatus(), envelope.body(code, message));
    }

    /**
     * Answers {@code error} in {@code envelope}: its status and message, and {@code Retry-After} (whole seconds) when
     * the error says when to retry (rate limits, budgets).
     */
    public static void sendError(ServerResponse res, ErrorEnvelope envelope, io.keel.core.error.KeelException error) {
        java.time.Duration retry = error.waitBeforeRetry();
        if (retry != null) res.header("Retry-After", Long.toString(Math.max(1, (retry.toMillis() + 999) / 1000)));
        sendError(res, envelope, error.code(), error.getMessage());
    }

    /** Answers {@code code}'s status with {@code message} in Keel's envelope. */
    public static void sendError(ServerResponse res, ErrorCode code, String message) {
        sendError(res, ErrorEnvelope.KEEL, code, message);
    }
}
