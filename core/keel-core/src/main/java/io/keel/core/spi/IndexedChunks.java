package io.keel.core.spi;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.KeelException;

import java.util.List;

/** The checks and the normalisation every index backend applies to what it is asked to write and search. */
public final class IndexedChunks {
    private IndexedChunks() {
    }

    /** Checks that chunks belong to the document and that every vector has the model's length. */
    public static void validate(Document doc, List<Chunk> chunks, List<float[]> vectors, int dimensions) {
        if (chunks.size() != vectors.size()) {
            throw KeelException.invalid("document '" + doc.id() + "' has " + chunks.size() + " chunks but "
                    + vectors.size() + " vectors; they must align one to one");
        }
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (!c.documentId().equals(doc.id())) {
                throw KeelException.invalid("chunk '" + c.id() + "' belongs to document '" + c.documentId()
                        + "', not to '" + doc.id() + "'");
            }
            float[] v = vectors.get(i);
            if (v == null || v.length != dimensions) {
                throw KeelException.invalid("vector of chunk '" + c.id() + "' has " + (v == null ? "no" : v.length)
                        + " dimensions; the collection's model has " + dimensions);
            }
        }
    }

    /** A unit-length copy of {@code v}: the dot product then equals cosine similarity. */
    public static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw KeelException.invalid("a vector of zero length or with non-finite values cannot be indexed or searched");
        }
        float[] out = new float[v.length];
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
        return out;
    }
}
