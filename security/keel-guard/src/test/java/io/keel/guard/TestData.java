package io.keel.guard;

import io.keel.embed.onnx.OnnxEmbedder;

import java.nio.file.Files;
import java.nio.file.Path;

/** Shared test fixtures: the public datasets and one real embedder for the whole test JVM. */
public final class TestData {
    private TestData() {
    }

    /** {@code ../shared/datasets}, from the {@code keel.datasets} system property Maven sets. */
    public static Path datasets() {
        return Path.of(System.getProperty("keel.datasets", "../../../shared/datasets")).toAbsolutePath().normalize();
    }

    public static boolean hasDataset(String relative) {
        return Files.isRegularFile(datasets().resolve(relative));
    }

    private static final class Holder {
        static final OnnxEmbedder EMBEDDER = OnnxEmbedder.createDefault();
    }

    /** all-MiniLM-L6-v2, loaded once. */
    public static OnnxEmbedder embedder() {
        return Holder.EMBEDDER;
    }
}
