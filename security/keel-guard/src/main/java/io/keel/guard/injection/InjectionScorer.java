package io.keel.guard.injection;

import java.util.List;

/**
 * What {@link InjectionDetector} asks of a classifier: a score in [0, 1] per text, 0.5 at the classifier's
 * operating point. {@link InjectionClassifier} (logistic regression over the shared embedding) and a fine-tuned
 * {@link io.keel.guard.model.GuardModel} are the two kinds Keel ships.
 */
public interface InjectionScorer {
    double score(String text);

    /** The score of each text, in one batch where the scorer can batch. */
    default double[] scoreAll(List<String> texts) {
        return texts.stream().mapToDouble(this::score).toArray();
    }

    /**
     * The scorer the bundled policy uses: the fine-tuned {@link io.keel.guard.model.GuardModel} when one is on the
     * class path, else the logistic regression over {@code embedder}'s embeddings, else none (rules only).
     */
    static InjectionScorer standard(io.keel.core.spi.Embedder embedder) {
        var model = io.keel.guard.model.GuardModel.bundled();
        if (model.isPresent()) return of(model.get());
        return embedder == null ? null : InjectionClassifier.bundled(embedder);
    }

    /** The injection half of a guard model's scores. */
    static InjectionScorer of(io.keel.guard.model.GuardModel model) {
        return new InjectionScorer() {
            @Override
            public double score(String text) {
                return model.score(text).injection();
            }

            @Override
            public double[] scoreAll(List<String> texts) {
                return model.scoreAll(texts).stream().mapToDouble(io.keel.guard.model.GuardModel.Scores::injection).toArray();
            }
        };
    }
}
