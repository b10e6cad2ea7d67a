package io.keel.bench.routing;

import io.keel.core.spi.Embedder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Embeddings of a fixed list of texts, kept in a file so a rerun of the benchmark skips the minutes of embedding. */
final class VectorCache {
    private VectorCache() {
    }

    /** The vectors of {@code texts}, read from {@code file} when it holds exactly these texts' vectors, else computed and written. */
    static List<float[]> embed(List<String> texts, Embedder embedder, Path file) throws IOException {
        int key = texts.hashCode();
        if (Files.isRegularFile(file)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                if (in.readInt() == key && in.readInt() == texts.size()) {
                    int dims = in.readInt();
                    List<float[]> out = new ArrayList<>(texts.size());
                    for (int i = 0; i < texts.size(); i++) {
                        float[] v = new float[dims];
                        for (int d = 0; d < dims; d++) v[d] = in.readFloat();
                        out.add(v);
                    }
                    return out;
                }
            }
        }
        List<float[]> out = embedder.embedAll(texts);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            o.writeInt(key);
            o.writeInt(texts.size());
            o.writeInt(out.getFirst().length);
            for (float[] v : out) for (float x : v) o.writeFloat(x);
        }
        return out;
    }
}
