package io.keel.guard.injection;

import io.keel.guard.TrainingLaunch;
import io.keel.guard.data.EmbeddingFileCache;
import io.keel.guard.eval.EvalTables;
import io.keel.guard.eval.InjectionEval;

import java.util.Locale;

/**
 * Trains the bundled injection classifier, writes its weights file and prints the held-out evaluation of the new
 * weights.
 *
 * <pre>./mvnw -q -pl security/keel-guard test-compile exec:java@train-injection</pre>
 *
 * Arguments: the shared datasets folder, the folder to write {@code injection-classifier-<model>.json} to, and the
 * folder for the embedding cache ({@link EmbeddingFileCache}); the model is the default embedding model, or the one
 * named by a fourth argument.
 */
public final class TrainInjectionClassifier {
    static final String COMMAND = "./mvnw -q -pl security/keel-guard test-compile exec:java@train-injection";

    private TrainInjectionClassifier() {
    }

    public static void main(String[] args) {
        TrainingLaunch.run("TrainInjectionClassifier", "injection-classifier-", args, (datasets, out, embedder, t0) -> {
            InjectionTrainer.Result r = new InjectionTrainer(embedder).train(datasets);
            InjectionTrainer.write(r, out, COMMAND);
            System.out.printf(Locale.ROOT, "model %s, %d training rows%n", r.embeddingModel(), r.examples());
            r.sources().forEach(s -> System.out.printf(Locale.ROOT, "  %-18s %-48s sha256 %s… training %d, held out %d%n",
                    s.name(), s.file(), s.sha256().substring(0, 12), s.trainingRows(), s.heldOutRows()));
            System.out.printf(Locale.ROOT, "5-fold CV balanced accuracy by l2: %s -> chose l2=%s, threshold %.2f%n", r.cvByL2(), r.l2(), r.threshold());
            InjectionTrainer.Metrics m = r.outOfFold();
            System.out.printf(Locale.ROOT, "out-of-fold classifier at threshold: TPR %.4f FPR %.4f (tp %d fp %d tn %d fn %d)%n",
                    m.tpr(), m.fpr(), m.tp(), m.fp(), m.tn(), m.fn());
            System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
            var policy = io.keel.guard.policy.PolicyLoader.defaults().injection();
            InjectionDetector detector = new InjectionDetector(InjectionClassifier.load(out, embedder),
                    new InjectionDetector.Config(policy.threshold(), policy.sentenceLevel(), 12));
            System.out.print(EvalTables.render(InjectionEval.run(datasets, detector, embedder)));
            System.out.printf(Locale.ROOT, "done in %.1f s (embedding cache %s: %d vectors)%n", (System.nanoTime() - t0) / 1e9, embedder.file(), embedder.size());
        });
    }
}
