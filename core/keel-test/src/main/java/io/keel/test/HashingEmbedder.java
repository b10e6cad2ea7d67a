package io.keel.test;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.TokenCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic bag-of-words embedder (each word adds 1 to one hashed dimension): texts sharing words get similar
 * vectors, which is all tests of reindexing and model checks need. Not a model.
 */
public class HashingEmbedder implements Embedder {
    private final EmbeddingModelInfo info;

    public HashingEmbedder(EmbeddingModelInfo info) {
        this.info = info;
    }

    @Override
    public EmbeddingModelInfo info() {
        return info;
    }

    @Override
    public float[] embedQuery(String text) {
        float[] v = new float[info.dimensions()];
        for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!w.isEmpty()) v[Math.floorMod(w.hashCode(), v.length)] += 1;
        }
        v[0] += 0.01f;
        return v;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) out.add(embedQuery(t));
        return out;
    }

    @Override
    public TokenCounter tokenCounter() {
        return new TokenCounter() {
            @Override
            public int countTokens(String text) {
                return text.split("\\s+").length;
            }

            @Override
            public int maxTokens() {
                return info.maxTokens();
            }
        };
    }

    @Override
    public void close() {
    }
}
