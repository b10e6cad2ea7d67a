package io.keel.guard.eval;

import io.keel.embed.onnx.OnnxEmbedder;

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
        try (OnnxEmbedder embedder = OnnxEmbedder.createDefault()) {
            System.out.print(GuardEval.run(datasets, embedder).render());
        }
    }
}
