package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.OptionalLong;

/** Request-body reading with limits, content negotiation and JSON responses, shared by every route. */
public final class Http {
    private Http() {
    }

    /**
     * Reads a JSON request body of at most {@code maxBytes}. Accepts {@code application/json} (and {@code +json}
     * types), no content type, and {@code application/x-www-form-urlencoded} — what {@code curl -d} sends by
     * default — as long as the body itself is JSON. Anything else is 415.
     */
    public static byte[] jsonBody(ServerRequest req, long maxBytes) {
        req.headers().contentType().ifPresent(Http::requireJsonContentType);
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) throw tooLarge(declared.getAsLong(), maxBytes);
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) throw tooLarge(-1, maxBytes);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireJsonContentType(HttpMediaType type) {
        String t = type.mediaType().type().toLowerCase(Locale.ROOT);
        String sub = type.mediaType().subtype().toLowerCase(Locale.ROOT);
        boolean json = t.equals("application") && (sub.equals("json") || sub.endsWith("+json") || sub.equals("x-www-form-urlencoded"));
        if (!json) {
            throw new KeelException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "content type '" + t + "/" + sub
                    + "' is not supported; send the body as JSON with 'Content-Type: application/json'");
        }
    }

    private static KeelException tooLarge(long size, long max) {
        return new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body " + (size >= 0 ? "has " + size + " bytes" : "is too large")
                + "; the limit is " + max + " bytes (server.max_request_bytes)");
    }

    public static void send(ServerResponse res, int status, JsonNode body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(body));
    }

    public static void sendError(ServerResponse res, ErrorCode code, String message) {
        send(res, code.httpStatus(), Json.error(code.wireName(), message));
    }
}
