package io.keel.guard.safety;

import io.keel.guard.TrainingLaunch;
import io.keel.guard.eval.EvalTables;
import io.keel.guard.eval.SafetyEval;

import java.util.Locale;

/**
 * Trains the bundled content-safety classifier, writes its weights file and prints the held-out evaluation.
 *
 * <pre>./mvnw -q -pl security/keel-guard test-compile exec:java@train-safety</pre>
 *
 * Arguments: the shared datasets folder, the output folder, the embedding cache folder, optionally the model.
 */
public final class TrainContentSafety {
    static final String COMMAND = "./mvnw -q -pl security/keel-guard test-compile exec:java@train-safety";

    private TrainContentSafety() {
    }

    public static void main(String[] args) {
        TrainingLaunch.run("TrainContentSafety", "content-safety-", args, (datasets, out, embedder, t0) -> {
            ContentSafetyTrainer.Result r = new ContentSafetyTrainer(embedder).train(datasets);
            ContentSafetyTrainer.write(r, out, COMMAND);
            r.sources().forEach(s -> System.out.printf(Locale.ROOT, "  %-20s %-48s sha256 %s… training %d%n", s.name(), s.file(),
                    s.sha256().substring(0, 12), s.trainingRows()));
            System.out.printf(Locale.ROOT, "threshold %.2f; out-of-fold recall %.4f, benign FPR %.4f, xstest safe FPR %.4f%n",
                    r.threshold(), r.oofRecall(), r.oofBenignFpr(), r.oofXstestFpr());
            ContentSafetyDetector detector = new ContentSafetyDetector(ContentSafetyClassifier.load(out, embedder), 0.5);
            System.out.print(EvalTables.render(SafetyEval.run(datasets, detector)));
            System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
        });
    }
}
