package io.keel.routing.intent;

import java.util.List;

/**
 * Gives an utterance's embedding one of a fixed set of intent labels. Implementations are immutable and thread-safe;
 * they take the vector, not the text, so a request's embedding is computed once and shared with every stage that
 * needs it.
 */
public interface IntentClassifier {
    /** The labels this classifier chooses from, in a fixed order. */
    List<String> labels();

    /** @param vector an L2-normalised embedding from the same model the examples were embedded with */
    IntentPrediction classify(float[] vector);

    /** The training methods. */
    enum Method {
        /** k nearest labelled examples by cosine similarity, votes weighted by similarity. */
        KNN,
        /** Multinomial logistic regression (softmax) over standardised embedding dimensions. */
        LOGISTIC
    }

    /** Trains a classifier of {@code method} on labelled example vectors. */
    static IntentClassifier train(Method method, List<LabeledVector> examples, Options options) {
        return switch (method) {
            case KNN -> KnnClassifier.of(examples, options.k());
            case LOGISTIC -> SoftmaxClassifier.train(examples, options);
        };
    }

    /** One example utterance's embedding and its label. */
    record LabeledVector(String label, float[] vector) {
    }

    /**
     * Training settings.
     *
     * @param k      neighbours voting in kNN
     * @param epochs passes over the examples (logistic)
     * @param l2     weight decay (logistic)
     * @param seed   shuffling seed (logistic), so training is reproducible
     */
    record Options(int k, int epochs, double l2, long seed) {
        public static final Options DEFAULTS = new Options(5, 40, 1e-4, 42);

        public Options {
            if (k < 1) throw new IllegalArgumentException("k must be >= 1");
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1");
            if (l2 < 0) throw new IllegalArgumentException("l2 must be >= 0");
        }
    }
}
