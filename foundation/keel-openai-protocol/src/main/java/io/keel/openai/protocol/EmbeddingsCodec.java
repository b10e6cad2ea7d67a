package io.keel.openai.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.keel.core.chat.UpstreamException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OpenAI embeddings wire format ({@code POST /embeddings}): the request body, the answer read into floats, and a
 * strict scan that keeps each vector as the upstream printed it, for relaying. Thread-safe.
 */
public final class EmbeddingsCodec {
    private EmbeddingsCodec() {
    }

    /** The request body embedding {@code texts} as floats; {@code modelId} null leaves out {@code model} (Azure names it in the URL). */
    public static byte[] writeRequest(String modelId, List<String> texts) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(64 + texts.size() * 64);
        try (com.fasterxml.jackson.core.JsonGenerator g = OpenAiCodec.JSON.createGenerator(buf)) {
            g.writeStartObject();
            if (modelId != null) g.writeStringField("model", modelId);
            g.writeArrayFieldStart("input");
            for (String t : texts) g.writeString(t);
            g.writeEndArray();
            g.writeStringField("encoding_format", "float");
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /**
     * The answer's vectors as the upstream's JSON text, when the answer is the usual well-formed one with
     * {@code expected} vectors of plain JSON numbers; null on anything else (then {@link #read} gives the vectors or
     * the error).
     */
    public static RawEmbeddings scanRaw(byte[] body, int expected) {
        return RawScanner.scan(body, expected);
    }

    /**
     * A strict single-pass scanner for the usual embeddings answer; returns null (so the caller falls back to the
     * Jackson parser and its error messages) on anything it does not fully understand.
     */
    static final class RawScanner {
        private final byte[] b;
        private int i;

        private RawScanner(byte[] b) {
            this.b = b;
        }

        static RawEmbeddings scan(byte[] body, int expected) {
            try {
                return new RawScanner(body).run(expected);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private RawEmbeddings run(int expected) {
            int[] from = new int[expected];
            int[] to = new int[expected];
            int seen = 0;
            long promptTokens = 0;
            ws();
            expect('{');
            ws();
            if (peek() == '}') return null;
            while (true) {
                int key = keyStart();
                if (is(key, "data")) {
                    expect('[');
                    ws();
                    if (peek() != ']') {
                        while (true) {
                            expect('{');
                            ws();
                            int index = -1;
                            int vFrom = -1;
                            int vTo = -1;
                            if (peek() != '}') {
                                while (true) {
                                    int k = keyStart();
                                    if (is(k, "index")) {
                                        long v = integer();
                                        if (v < 0 || v >= expected) return null;
                                        index = (int) v;
                                    } else if (is(k, "embedding")) {
                                        if (peek() != '[') return null;
                                        vFrom = i;
                                        numberArray();
                                        vTo = i;
                                    } else {
                                        skipValue();
                                    }
                                    if (more()) continue;
                                    break;
                                }
                            }
                            expect('}');
                            if (index < 0 || vFrom < 0 || to[index] != 0) return null;
                            from[index] = vFrom;
                            to[index] = vTo;
                            seen++;
                            if (more()) continue;
                            break;
                        }
                    }
                    expect(']');
                } else if (is(key, "usage") && peek() == '{') {
                    i++;
                    ws();
                    if (peek() != '}') {
                        while (true) {
                            int k = keyStart();
                            if (is(k, "prompt_tokens")) promptTokens = integer();
                            else skipValue();
                            if (more()) continue;
                            break;
                        }
                    }
                    expect('}');
                } else {
                    skipValue();
                }
                if (more()) continue;
                break;
            }
            expect('}');
            ws();
            if (i != b.length || seen != expected) return null;
            return new RawEmbeddings(b, from, to, promptTokens);
        }

        /** After a member or an element: consumes a comma and the whitespace around it, and says whether one was there. */
        private boolean more() {
            ws();
            if (peek() != ',') return false;
            i++;
            ws();
            return true;
        }

        /** Reads {@code "name":} and returns the offset of the name's first byte; names with escapes are refused. */
        private int keyStart() {
            expect('"');
            int start = i;
            while (b[i] != '"') {
                if (b[i] == '\\' || (b[i] & 0xff) < 0x20) throw new IllegalStateException();
                i++;
            }
            keyEnd = i;
            i++;
            ws();
            expect(':');
            ws();
            return start;
        }

        private int keyEnd;

        private boolean is(int start, String name) {
            if (keyEnd - start != name.length()) return false;
            for (int k = 0; k < name.length(); k++) if (b[start + k] != name.charAt(k)) return false;
            return true;
        }

        private void numberArray() {
            expect('[');
            ws();
            if (peek() == ']') {
                i++;
                return;
            }
            while (true) {
                number();
                ws();
                byte c = b[i++];
                if (c == ']') return;
                if (c != ',') throw new IllegalStateException();
                ws();
            }
        }

        /** A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
        private void number() {
            if (b[i] == '-') i++;
            if (b[i] == '0') i++;
            else if (b[i] >= '1' && b[i] <= '9') digits();
            else throw new IllegalStateException();
            if (b[i] == '.') {
                i++;
                digits();
            }
            if (b[i] == 'e' || b[i] == 'E') {
                i++;
                if (b[i] == '+' || b[i] == '-') i++;
                digits();
            }
        }

        private void digits() {
            if (b[i] < '0' || b[i] > '9') throw new IllegalStateException();
            while (b[i] >= '0' && b[i] <= '9') i++;
        }

        private long integer() {
            int start = i;
            if (b[i] == '-') i++;
            digits();
            if (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || i - start > 18) throw new IllegalStateException();
            return Long.parseLong(new String(b, start, i - start, StandardCharsets.US_ASCII));
        }

        private void skipValue() {
            byte c = b[i];
            switch (c) {
                case '{', '[' -> {
                    boolean object = c == '{';
                    byte close = object ? (byte) '}' : (byte) ']';
                    i++;
                    ws();
                    if (peek() == close) {
                        i++;
                        return;
                    }
                    while (true) {
                        if (object) keyStart();
                        skipValue();
                        ws();
                        byte d = b[i++];
                        if (d == close) return;
                        if (d != ',') throw new IllegalStateException();
                        ws();
                    }
                }
                case '"' -> {
                    i++;
                    while (b[i] != '"') {
                        if ((b[i] & 0xff) < 0x20) throw new IllegalStateException();
                        if (b[i] == '\\') i++;
                        i++;
                    }
                    i++;
                }
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        private void literal(String s) {
            for (int k = 0; k < s.length(); k++) if (b[i++] != s.charAt(k)) throw new IllegalStateException();
        }

        private byte peek() {
            return b[i];
        }

        private void expect(char c) {
            if (b[i] != c) throw new IllegalStateException();
            i++;
        }

        private void ws() {
            while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
        }
    }

    /**
     * Reads an embeddings answer with the streaming parser: vectors go straight into float arrays, no tree in between.
     *
     * @param name the upstream's name, for the errors
     * @throws io.keel.core.chat.UpstreamException when the answer is not the embeddings of {@code expected} texts
     * @throws IOException                         when the bytes are not JSON
     */
    public static Embeddings read(byte[] body, int expected, String name) throws IOException {
        float[][] out = new float[expected][];
        long promptTokens = 0;
        int seen = 0;
        String model = "";
        try (JsonParser p = OpenAiCodec.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw UpstreamException.malformed(name, "not a JSON object", null);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "data" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) throw UpstreamException.malformed(name, "'data' is not an array", null);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int index = -1;
                            float[] vector = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("index")) {
                                    index = p.getIntValue();
                                } else if (f.equals("embedding") && p.currentToken() == JsonToken.START_ARRAY) {
                                    vector = readVector(p);
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (index < 0 || index >= expected || vector == null || out[index] != null) {
                                throw UpstreamException.malformed(name, "embedding item without a valid index and vector", null);
                            }
                            out[index] = vector;
                            seen++;
                        }
                    }
                    case "usage" -> {
                        if (p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("prompt_tokens")) promptTokens = p.getLongValue();
                                else p.skipChildren();
                            }
                        }
                    }
                    case "model" -> {
                        if (p.currentToken() == JsonToken.VALUE_STRING) model = p.getText();
                        else p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (seen != expected) throw UpstreamException.malformed(name, "expected " + expected + " embeddings, got " + seen, null);
        return new Embeddings(List.of(out), promptTokens, model);
    }

    static float[] readVector(JsonParser p) throws IOException {
        float[] v = new float[512];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == v.length) v = java.util.Arrays.copyOf(v, n * 2);
            v[n++] = p.getFloatValue();
        }
        return n == v.length ? v : java.util.Arrays.copyOf(v, n);
    }
}
