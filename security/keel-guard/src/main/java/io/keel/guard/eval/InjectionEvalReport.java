package io.keel.guard.eval;

import io.keel.guard.injection.InjectionTrainer;

import java.util.List;
import java.util.Map;

/**
 * Cross-validated injection detection on the deepset training split.
 *
 * @param classifier       the classifier alone on whole texts
 * @param detector         the full detector: normalization, rules, classifier on whole text and sentences
 * @param bundledDataMatch whether the data file's SHA-256 equals the one recorded in the bundled weights file
 * @param benign           false positives on held-out SQuAD questions; null when SQuAD was not available
 */
public record InjectionEvalReport(int examples, int folds, String dataSha256, boolean bundledDataMatch, double l2,
                                  Map<Double, Double> accuracyByL2, InjectionTrainer.Metrics classifier,
                                  InjectionTrainer.Metrics detector, InjectionTrainer.HeldOut benign) {
    /** A published accuracy on the held-out deepset test split (not shipped here), for comparison. */
    public record Published(String model, double accuracy) {
    }

    public static final List<Published> PUBLISHED_TEST_ACCURACY = List.of(
            new Published("LR on multilingual BERT embeddings", 0.966),
            new Published("deberta-v3-base-injection, fine-tuned", 0.991));

    public InjectionEvalReport {
        accuracyByL2 = Map.copyOf(accuracyByL2);
    }
}
