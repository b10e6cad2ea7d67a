package io.keel.core.spi;

import java.util.Objects;

/**
 * Identity of an embedding model. Indexes store it and refuse vectors from any other model.
 *
 * @param id         model name, e.g. {@code all-minilm-l6-v2}
 * @param checksum   SHA-256 of the model file, hex
 * @param dimensions vector length
 * @param maxTokens  longest input the model sees whole, special tokens included; longer input is truncated
 */
public record EmbeddingModelInfo(String id, String checksum, int dimensions, int maxTokens) {
    public EmbeddingModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(checksum, "checksum");
        if (dimensions <= 0) throw new IllegalArgumentException("dimensions must be > 0");
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be > 0");
    }

    /** {@code id@first-12-hex-of-checksum}: short enough for logs, precise enough to tell two builds apart. */
    public String fingerprint() {
        return id + "@" + checksum.substring(0, Math.min(12, checksum.length()));
    }
}
