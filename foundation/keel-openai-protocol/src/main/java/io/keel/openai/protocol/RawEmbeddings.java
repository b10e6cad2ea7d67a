package io.keel.openai.protocol;

import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;

/**
 * Embeddings either as the upstream's JSON text per vector ({@link #isRaw()}) or, when the upstream's answer did not
 * pass the fast check, as parsed floats.
 */
public final class RawEmbeddings {
    private final byte[] body;
    private final int[] from;
    private final int[] to;
    private final long promptTokens;
    private final Embeddings parsed;

    RawEmbeddings(byte[] body, int[] from, int[] to, long promptTokens) {
        this.body = body;
        this.from = from;
        this.to = to;
        this.promptTokens = promptTokens;
        this.parsed = null;
    }

    public RawEmbeddings(Embeddings parsed) {
        this.body = null;
        this.from = null;
        this.to = null;
        this.promptTokens = parsed.promptTokens();
        this.parsed = parsed;
    }

    /** Whether the vectors are held as the upstream's JSON text ({@link #writeVector}); else see {@link #embeddings()}. */
    public boolean isRaw() {
        return parsed == null;
    }

    public int size() {
        return parsed != null ? parsed.vectors().size() : from.length;
    }

    public long promptTokens() {
        return promptTokens;
    }

    /** Writes vector {@code i} as the upstream's JSON array text (only when {@link #isRaw()}). */
    public void writeVector(int i, java.io.OutputStream out) throws IOException {
        if (parsed != null) throw new IllegalStateException("the vectors were parsed; use embeddings()");
        out.write(body, from[i], to[i] - from[i]);
    }

    /** The length in bytes of vector {@code i}'s JSON text (only when {@link #isRaw()}). */
    public int vectorLength(int i) {
        if (parsed != null) throw new IllegalStateException("the vectors were parsed; use embeddings()");
        return to[i] - from[i];
    }

    /** The vectors as floats (parsed from the JSON text when raw). */
    public Embeddings embeddings() {
        if (parsed != null) return parsed;
        List<float[]> vectors = new java.util.ArrayList<>(from.length);
        for (int i = 0; i < from.length; i++) {
            try (JsonParser p = OpenAiCodec.JSON.createParser(body, from[i], to[i] - from[i])) {
                p.nextToken();
                vectors.add(EmbeddingsCodec.readVector(p));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return new Embeddings(vectors, promptTokens);
    }
}
