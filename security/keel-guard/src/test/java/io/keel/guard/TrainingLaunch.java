package io.keel.guard;

import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.embed.onnx.OnnxEmbedderConfig;
import io.keel.guard.data.EmbeddingFileCache;

import java.nio.file.Path;

/**
 * The command line every classifier trainer takes: the shared datasets folder, the folder to write the weights file
 * to, the embedding cache folder ({@link EmbeddingFileCache}) and optionally the embedding model (default: the
 * default embedding model). Exits with status 2 on other arguments.
 */
public final class TrainingLaunch {

    /** What a trainer does with the parsed arguments; {@code startNanos} is when the launch began. */
    @FunctionalInterface
    public interface Training {
        void train(Path datasets, Path out, EmbeddingFileCache embedder, long startNanos);
    }

    private TrainingLaunch() {
    }

    /**
     * Parses {@code args}, opens the cached embedder and runs {@code training}; the weights file is
     * {@code <output-dir>/<filePrefix><model>.json}.
     */
    public static void run(String program, String filePrefix, String[] args, Training training) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: " + program + " <datasets-dir> <output-dir> <cache-dir> [embedding-model]");
            System.exit(2);
        }
        Path datasets = Path.of(args[0]).normalize();
        OnnxEmbedderConfig d = OnnxEmbedderConfig.defaults();
        OnnxEmbedderConfig config = args.length == 4
                ? new OnnxEmbedderConfig(args[3], d.batchSize(), d.workers(), d.queryThreads(), d.cacheSize(), d.maxQueryBatch())
                : d;
        Path out = Path.of(args[1]).normalize().resolve(filePrefix + config.model() + ".json");
        long t0 = System.nanoTime();
        try (EmbeddingFileCache embedder = new EmbeddingFileCache(new OnnxEmbedder(config), Path.of(args[2]))) {
            training.train(datasets, out, embedder, t0);
        }
    }
}
