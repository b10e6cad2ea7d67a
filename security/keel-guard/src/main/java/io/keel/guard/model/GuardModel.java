package io.keel.guard.model;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A text classifier that scores a text for prompt injection and for a clearly harmful request in one pass, such
 * as the fine-tuned transformer of the {@code keel-guard-minilm} module. Scores are calibrated so that 0.5 is the
 * model's trained operating point, as the logistic-regression classifiers' are, so policy thresholds mean the same
 * whichever model scores.
 *
 * <p>Implementations are found with {@link ServiceLoader}; {@link #bundled()} returns the one on the class path,
 * loaded once per process. They must be thread-safe.
 */
public interface GuardModel {
    /** Injection and harm scores of one text, each in [0, 1] with the operating point at 0.5. */
    record Scores(double injection, double harmful) {
    }

    /** A stable id of the model and its weights, e.g. {@code keel-guard-minilm@<sha-256 prefix>}. */
    String id();

    Scores score(String text);

    /** The scores of several texts, in order (implementations may batch them). */
    default List<Scores> scoreAll(List<String> texts) {
        return texts.stream().map(this::score).toList();
    }

    /** The guard model on the class path, if any (the first one {@link ServiceLoader} finds), loaded once. */
    static Optional<GuardModel> bundled() {
        return Bundled.MODEL;
    }

    /** Holder: the service lookup (and the model's loading) happens on first use only. */
    final class Bundled {
        private static final Optional<GuardModel> MODEL = ServiceLoader.load(GuardModel.class).findFirst();

        private Bundled() {
        }
    }
}
