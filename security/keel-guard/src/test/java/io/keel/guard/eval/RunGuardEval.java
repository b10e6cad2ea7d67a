package io.keel.guard.eval;

import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.guard.data.EmbeddingFileCache;

import java.nio.file.Path;

/**
 * Prints the evaluation tables of docs/security.md.
 *
 * <pre>./mvnw -q -pl security/keel-guard test-compile exec:java@guard-eval</pre>
 */
public final class RunGuardEval {
    private RunGuardEval() {
    }

    public static void main(String[] args) {
        Path datasets = Path.of(args.length > 0 ? args[0] : "../shared/datasets");
        Path cache = Path.of(args.length > 1 ? args[1] : "target/guard-embeddings");
        try (EmbeddingFileCache embedder = new EmbeddingFileCache(OnnxEmbedder.createDefault(), cache)) {
            System.out.print(GuardEval.run(datasets, embedder).render());
        }
    }
}
