package io.keel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reading a request body: the content type (415), a size limit (413) and a JSON object (400), each refused with a
 * {@link KeelException} that tells the caller what to send instead.
 */
public final class RequestBody {
    /** {@code application/json}, {@code +json} types, and what {@code curl -d} sends by default. */
    public static final Set<String> JSON_SUBTYPES = Set.of("json", "x-www-form-urlencoded");
    private static final String JSON_ADVICE = "send the body as JSON with 'Content-Type: application/json'";

    private RequestBody() {
    }

    /**
     * Refuses (415) a declared content type other than {@code application/} one of {@code subtypes} or a
     * {@code +json} type; no content type passes.
     *
     * @param advice what to send instead, ending the error message
     */
    public static void requireContentType(ServerRequest req, Set<String> subtypes, String advice) {
        Optional<HttpMediaType> declared;
        try {
            declared = req.headers().contentType();
        } catch (RuntimeException unparsable) {
            String raw = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
            throw new KeelException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the content type '" + clip(raw) + "' cannot be parsed; " + advice);
        }
        declared.ifPresent(type -> check(type, subtypes, advice));
    }

    /** {@link #requireContentType} for a JSON body. */
    public static void requireJson(ServerRequest req) {
        requireContentType(req, JSON_SUBTYPES, JSON_ADVICE);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static void check(HttpMediaType type, Set<String> subtypes, String advice) {
        String t = type.mediaType().type().toLowerCase(Locale.ROOT);
        String sub = type.mediaType().subtype().toLowerCase(Locale.ROOT);
        if (!t.equals("application") || !(subtypes.contains(sub) || sub.endsWith("+json"))) {
            throw new KeelException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "content type '" + t + "/" + sub + "' is not supported; "
                    + advice);
        }
    }

    /**
     * The body's bytes, at most {@code maxBytes}; a larger body (declared or sent) is a 413 naming {@code limitKey},
     * the setting that raises the limit (null when there is none).
     */
    public static byte[] read(ServerRequest req, long maxBytes, String limitKey) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) throw tooLarge(declared.getAsLong(), maxBytes, limitKey);
        if (!req.content().hasEntity()) return new byte[0];
        try (InputStream in = stream(req)) {
            byte[] body;
            if (declared.isPresent()) {
                // exactly the declared size: readNBytes(max) would allocate its buffers for every request
                body = new byte[(int) declared.getAsLong()];
                int n = in.readNBytes(body, 0, body.length);
                if (n != body.length) {
                    throw KeelException.invalid("the body ended " + (body.length - n) + " bytes before its Content-Length");
                }
            } else {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (body.length > maxBytes) throw tooLarge(-1, maxBytes, limitKey);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body as a stream whose read failures are a {@link MalformedBodyException} (400, then the connection closes):
     * a malformed chunk size, other broken chunked framing, or no bytes for {@code server.read_timeout}. A client that
     * hung up stays an {@link UncheckedIOException}, answered to no one.
     */
    public static InputStream stream(ServerRequest req) {
        return new Guarded(req.content().inputStream(), req.context().get(ReadDeadlines.class).orElse(null));
    }

    private static final class Guarded extends FilterInputStream {
        private final ReadDeadlines deadlines;
        private final long bodyDeadline;

        Guarded(InputStream in, ReadDeadlines deadlines) {
            super(in);
            this.deadlines = deadlines;
            this.bodyDeadline = deadlines == null ? 0 : System.nanoTime() + deadlines.bodyTimeout().toNanos();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (deadlines == null) return guardedRead(b, off, len);
            long now = System.nanoTime();
            if (now - bodyDeadline > 0) throw slow();
            deadlines.until(Math.min(now + deadlines.readTimeout().toNanos(), bodyDeadline));
            int n;
            try {
                n = guardedRead(b, off, len);
            } catch (RuntimeException e) {
                if (deadlines.clear()) throw slow();
                throw e;
            }
            if (deadlines.clear()) throw slow();
            return n;
        }

        private int guardedRead(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw translate(e);
            }
        }

        private static MalformedBodyException slow() {
            return new MalformedBodyException("the body arrived too slowly: no bytes within server.read_timeout, or not all of it"
                    + " within server.body_timeout", null);
        }

        private static RuntimeException translate(Exception e) {
            if (e instanceof KeelException k) return k;
            Throwable io = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            if (io instanceof InterruptedIOException) {
                return new MalformedBodyException("the body stopped arriving before it ended (no bytes within server.read_timeout)", e);
            }
            if (io instanceof IOException ioe) return e instanceof UncheckedIOException u ? u : new UncheckedIOException(ioe);
            return new MalformedBodyException("the body's chunked transfer encoding is malformed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); send each chunk as its size in hexadecimal, CRLF, "
                    + "the bytes, CRLF, and end with a zero-size chunk", e);
        }
    }

    private static KeelException tooLarge(long size, long max, String limitKey) {
        return new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body " + (size >= 0 ? "has " + size + " bytes" : "is too large")
                + "; the limit is " + max + " bytes" + (limitKey == null ? "" : " (" + limitKey + ")"));
    }

    /** Parses a body that must be one JSON object, with {@link HttpJson#MAPPER}; an empty or blank one is a 400. */
    public static ObjectNode parseObject(byte[] body) {
        return parseObject(body, HttpJson.MAPPER);
    }

    /** As {@link #parseObject(byte[])}, read by {@code mapper} (an API with its own parsing rules). */
    public static ObjectNode parseObject(byte[] body, ObjectMapper mapper) {
        if (isBlank(body)) throw KeelException.invalid("the body is empty; send a JSON object");
        return parse(body, mapper);
    }

    /** As {@link #parseObject(byte[])}, but an empty or blank body is {@code {}} (a body whose fields are all optional). */
    public static ObjectNode parseObjectOrEmpty(byte[] body) {
        if (isBlank(body)) return HttpJson.MAPPER.createObjectNode();
        return parse(body, HttpJson.MAPPER);
    }

    private static boolean isBlank(byte[] body) {
        return body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank();
    }

    private static ObjectNode parse(byte[] body, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid("the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw KeelException.invalid("the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) throw KeelException.invalid("the body must be a JSON object");
        return (ObjectNode) node;
    }

    /** A JSON request: content type checked, at most {@code maxBytes} read, one JSON object parsed. */
    public static ObjectNode readObject(ServerRequest req, long maxBytes, String limitKey) {
        requireJson(req);
        return parseObject(read(req, maxBytes, limitKey));
    }
}
