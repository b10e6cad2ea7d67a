package io.keel.ingest;

import io.keel.embed.onnx.OnnxEmbedder;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The real embedding model, shared by the tests of this module, and the location of the benchmark corpora. */
public final class TestSupport {
    private static OnnxEmbedder embedder;

    private TestSupport() {
    }

    /** The MiniLM embedder, loaded once per test JVM and closed when it exits. */
    public static synchronized OnnxEmbedder embedder() {
        if (embedder == null) {
            OnnxEmbedder created = OnnxEmbedder.createDefault();
            Runtime.getRuntime().addShutdownHook(new Thread(created::close));
            embedder = created;
        }
        return embedder;
    }

    /**
     * The SciFact corpus of the shared datasets: {@code -Dkeel.scifact=...}, else {@code shared/datasets/scifact} in
     * the working directory or one of its parents.
     */
    public static Optional<Path> scifactCorpus() {
        String configured = System.getProperty("keel.scifact");
        if (configured != null) return Optional.of(Path.of(configured)).filter(Files::isRegularFile);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/datasets/scifact/corpus.jsonl");
            if (Files.isRegularFile(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The first {@code n} lines of {@code file}. */
    public static List<String> head(Path file, int n) throws IOException {
        List<String> lines = new ArrayList<>(n);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; lines.size() < n && (line = reader.readLine()) != null; ) lines.add(line);
        }
        return lines;
    }
}
