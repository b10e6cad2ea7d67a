package io.keel.openai.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.openai.protocol.OpenAiCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The HTTP plumbing the OpenAI-compatible routes share: bodies, JSON and SSE writing, OpenAI-shaped errors, ids. */
final class OpenAiHttp {
    static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Map<String, io.helidon.http.HeaderName> CALLER_HEADERS = Map.of(
            "X-Keel-Tenant", HeaderNames.create("X-Keel-Tenant"), "X-Keel-User", HeaderNames.create("X-Keel-User"),
            "X-Keel-App", HeaderNames.create("X-Keel-App"), "X-Keel-Feature", HeaderNames.create("X-Keel-Feature"));

    private OpenAiHttp() {
    }

    /** The caller of {@code req}, or null after answering 400 because a tag is invalid. */
    static Caller callerOrReject(ServerRequest req, ServerResponse res) {
        try {
            return caller(req);
        } catch (KeelException e) {
            sendError(res, e.code(), e.getMessage());
            return null;
        }
    }

    /** The caller named by the {@code X-Keel-*} headers; invalid tags are a 400. */
    static Caller caller(ServerRequest req) {
        io.helidon.http.Headers headers = req.headers();
        return Caller.fromHeaders(name -> {
            io.helidon.http.HeaderName h = CALLER_HEADERS.get(name);
            if (h == null) h = HeaderNames.create(name);
            return headers.contains(h) ? headers.get(h).get() : null;
        });
    }

    /** A random completion id; not {@code UUID.randomUUID()}, whose shared SecureRandom serialises busy servers. */
    static String newId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "chatcmpl-" + java.util.HexFormat.of().toHexDigits(r.nextLong()) + java.util.HexFormat.of().toHexDigits(r.nextLong());
    }

    static JsonNode readJson(ServerRequest req, long maxBodyBytes) {
        if (!req.content().hasEntity()) throw new IllegalArgumentException("the request needs a JSON body");
        try (InputStream in = req.content().inputStream()) {
            java.util.OptionalLong declared = req.headers().contentLength();
            byte[] body;
            if (declared.isPresent() && declared.getAsLong() <= maxBodyBytes) {
                // read into an array of exactly the declared size: readNBytes(max) would allocate 16 KiB per request
                body = new byte[(int) declared.getAsLong()];
                int n = in.readNBytes(body, 0, body.length);
                if (n != body.length) throw new IllegalArgumentException("the body ended " + (body.length - n) + " bytes before its Content-Length");
            } else {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            }
            if (body.length > maxBodyBytes) {
                throw new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + maxBodyBytes
                        + " bytes (server.max_chat_request_bytes)");
            }
            JsonNode n = OpenAiCodec.JSON.readTree(body);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isSurrogate(s.charAt(i))) return true;
        return false;
    }

    /** A JSON string literal, escaped as Jackson's generator escapes it (for text without surrogates). */
    static String quote(String s) {
        if (s == null) return "null";
        if (hasSurrogate(s)) {
            try {
                return new String(OpenAiCodec.JSON.writeValueAsBytes(s), StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    static OutputStream openStream(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Accel-Buffering", "no");
        return res.outputStream();
    }

    static void event(OutputStream out, ObjectNode chunk) throws IOException {
        event(out, chunk, true);
    }

    static void event(OutputStream out, ObjectNode chunk, boolean flush) throws IOException {
        byte[] json = OpenAiCodec.JSON.writeValueAsBytes(chunk);
        out.write(DATA);
        out.write(json);
        out.write(EVENT_END);
        if (flush) out.flush();
    }

    static void send(ServerResponse res, Status status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = OpenAiCodec.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes);
    }

    static void sendBytes(ServerResponse res, Status status, byte[] bytes) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes);
    }

    static void sendError(ServerResponse res, ErrorCode code, String message) {
        send(res, Status.create(code.httpStatus()), errorBody(code, message));
    }

    /** OpenAI's error object: {@code type} is its family, {@code code} Keel's stable code. */
    static ObjectNode errorBody(ErrorCode code, String message) {
        ObjectNode body = OpenAiCodec.JSON.createObjectNode();
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
