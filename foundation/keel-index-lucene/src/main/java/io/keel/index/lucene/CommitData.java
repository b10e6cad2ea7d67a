package io.keel.index.lucene;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.spi.EmbeddingModelInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every commit of a collection records about itself, stored in Lucene's commit user data.
 *
 * @param fingerprint the {@link EmbeddingModelInfo#fingerprint()} of the model that built the vectors
 * @param version     increases by one with every commit that changed the collection
 */
record CommitData(String format, String modelId, String modelChecksum, int dimensions, String fingerprint, long version) {
    static final String FORMAT = "keel-lucene-1";

    static final String KEY_FORMAT = "keel.format";
    static final String KEY_MODEL_ID = "keel.model.id";
    static final String KEY_MODEL_CHECKSUM = "keel.model.checksum";
    static final String KEY_DIMENSIONS = "keel.model.dimensions";
    static final String KEY_FINGERPRINT = "keel.model.fingerprint";
    static final String KEY_VERSION = "keel.version";

    static CommitData of(EmbeddingModelInfo model, long version) {
        return new CommitData(FORMAT, model.id(), model.checksum(), model.dimensions(), model.fingerprint(), version);
    }

    /** Reads the user data of a commit; fails when the directory holds no Keel index or a format this build cannot read. */
    static CommitData parse(String collection, Map<String, String> data) {
        String format = data.get(KEY_FORMAT);
        if (format == null) {
            throw new KeelException(ErrorCode.INTERNAL, "collection '" + collection
                    + "' holds a Lucene index that Keel did not write (no " + KEY_FORMAT + " in its commit data)");
        }
        if (!FORMAT.equals(format)) {
            throw new KeelException(ErrorCode.INTERNAL, "collection '" + collection + "' is in index format '" + format
                    + "', which this Keel version cannot read (it reads " + FORMAT + "); upgrade Keel or re-ingest");
        }
        try {
            return new CommitData(format, data.get(KEY_MODEL_ID), data.get(KEY_MODEL_CHECKSUM),
                    Integer.parseInt(data.get(KEY_DIMENSIONS)), data.get(KEY_FINGERPRINT), Long.parseLong(data.get(KEY_VERSION)));
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.INTERNAL, "collection '" + collection + "' has damaged commit data " + data, e);
        }
    }

    Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, format);
        m.put(KEY_MODEL_ID, modelId);
        m.put(KEY_MODEL_CHECKSUM, modelChecksum);
        m.put(KEY_DIMENSIONS, Integer.toString(dimensions));
        m.put(KEY_FINGERPRINT, fingerprint);
        m.put(KEY_VERSION, Long.toString(version));
        return m;
    }

    boolean builtBy(EmbeddingModelInfo model) {
        return fingerprint.equals(model.fingerprint()) && dimensions == model.dimensions();
    }

    /** Throws {@link ModelMismatchException} unless the vectors of this commit came from {@code model}. */
    void requireModel(String collection, EmbeddingModelInfo model) {
        if (!builtBy(model)) {
            throw new ModelMismatchException(collection, fingerprint + " (" + dimensions + " dimensions)",
                    model.fingerprint() + " (" + model.dimensions() + " dimensions)");
        }
    }

    CommitData withVersion(long newVersion) {
        return new CommitData(format, modelId, modelChecksum, dimensions, fingerprint, newVersion);
    }
}
