package io.keel.openai.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.keel.openai.protocol.OpenAiCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What only the OpenAI-compatible routes need beyond the HTTP kit ({@code io.keel.http}): SSE writing, JSON string
 * quoting for hand-written chunks, ids. Their errors take {@link OpenAiErrors#ENVELOPE}.
 */
final class OpenAiHttp {
    static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private OpenAiHttp() {
    }

    /** A random completion id; not {@code UUID.randomUUID()}, whose shared SecureRandom serialises busy servers. */
    static String newId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "chatcmpl-" + java.util.HexFormat.of().toHexDigits(r.nextLong()) + java.util.HexFormat.of().toHexDigits(r.nextLong());
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
}
