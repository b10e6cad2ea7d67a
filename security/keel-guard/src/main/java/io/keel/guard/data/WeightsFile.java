package io.keel.guard.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.spi.Embedder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parts every trained classifier's weights file shares: the training fields (buckets, threshold, the command
 * that made it, the {@link HeldOutSplit}), one entry per data file that went in, writing and reading.
 */
public final class WeightsFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private WeightsFile() {
    }

    /** A new weights document: its format and embedding model. */
    public static ObjectNode root(String format, String embeddingModel) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("embedding_model", embeddingModel);
        return root;
    }

    /** Adds how the weights were trained: n-gram buckets, decision threshold, command and split. */
    public static void training(ObjectNode root, int buckets, double threshold, String command) {
        root.put("hashed_ngram_buckets", buckets);
        root.put("threshold", threshold);
        root.put("training_command", command);
        root.put("split", HeldOutSplit.DESCRIPTION);
    }

    /** Adds one data file to {@code data}; returns its entry for further fields. */
    public static ObjectNode source(ArrayNode data, String name, String file, String sha256, int trainingRows) {
        ObjectNode d = data.addObject();
        d.put("name", name);
        d.put("file", file);
        d.put("sha256", sha256);
        d.put("training_rows", trainingRows);
        return d;
    }

    /** Writes {@code root} to {@code out}, making its folder. */
    public static void write(ObjectNode root, Path out) {
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            JSON.writeValue(out.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /**
     * The weights bundled as the class path resource {@code resourcePattern} formatted with {@code embedder}'s model;
     * an {@link IllegalStateException} naming the {@code trainCommand} when there are none for that model.
     */
    public static JsonNode readBundled(Class<?> owner, String resourcePattern, Embedder embedder, String what, String trainCommand) {
        String resource = resourcePattern.formatted(embedder.info().id());
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no bundled " + what + " for embedding model " + embedder.info().id()
                        + " (" + resource + "); train one with " + trainCommand);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The weights file {@code file}; {@code what} names it in the error when it cannot be read. */
    public static JsonNode read(Path file, String what) {
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file, e);
        }
    }
}
