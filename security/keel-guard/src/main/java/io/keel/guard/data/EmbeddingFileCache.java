package io.keel.guard.data;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.ForwardingEmbedder;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link Embedder} that keeps every vector it computes in a file, so training and evaluation runs embed each text
 * once across runs (thousands of texts take minutes on a small machine). The file is append-only: per text, the
 * SHA-256 of the text and the vector. It belongs to one model: the model's fingerprint is part of its name.
 *
 * <p>For training and evaluation tools only; serving uses the embedder's own in-memory cache.
 */
public final class EmbeddingFileCache extends ForwardingEmbedder {
    private final Path file;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

    /** @param dir where the cache file lives, e.g. {@code target/} */
    public EmbeddingFileCache(Embedder delegate, Path dir) {
        super(Objects.requireNonNull(delegate, "delegate"));
        String name = "embeddings-" + delegate().info().fingerprint().replaceAll("[^A-Za-z0-9._-]", "_") + ".bin";
        this.file = dir.resolve(name);
        load();
    }

    public Path file() {
        return file;
    }

    public int size() {
        return vectors.size();
    }

    private void load() {
        if (!Files.isRegularFile(file)) return;
        int dims = delegate().info().dimensions();
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] key = new byte[32];
            while (true) {
                try {
                    in.readFully(key);
                } catch (EOFException e) {
                    break;
                }
                float[] v = new float[dims];
                for (int i = 0; i < dims; i++) v[i] = in.readFloat();
                vectors.put(HexFormat.of().formatHex(key), v);
            }
        } catch (EOFException e) {
            // a run cut short while appending: the last record is incomplete and ignored
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedding cache " + file, e);
        }
    }

    private static String key(String text) {
        return HexFormat.of().formatHex(HeldOutSplit.sha256Raw(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public float[] embedQuery(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    @Override
    public synchronized List<float[]> embedAll(List<String> texts) {
        List<String> missing = new ArrayList<>();
        for (String t : texts) if (!vectors.containsKey(key(t)) && !missing.contains(t)) missing.add(t);
        if (!missing.isEmpty()) {
            List<float[]> computed = delegate().embedAll(missing);
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16))) {
                    for (int i = 0; i < missing.size(); i++) {
                        String k = key(missing.get(i));
                        out.write(HexFormat.of().parseHex(k));
                        for (float f : computed.get(i)) out.writeFloat(f);
                        vectors.put(k, computed.get(i));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write embedding cache " + file, e);
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(vectors.get(key(t)));
        return out;
    }

}
