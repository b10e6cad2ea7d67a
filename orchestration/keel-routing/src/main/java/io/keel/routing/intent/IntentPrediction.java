package io.keel.routing.intent;

/**
 * The intent a classifier gives an utterance.
 *
 * @param intent     the most likely label, or null when there is no text or no classifier
 * @param confidence in [0, 1]: the softmax probability (logistic) or the similarity-weighted vote share (kNN)
 */
public record IntentPrediction(String intent, double confidence) {
    public static final IntentPrediction NONE = new IntentPrediction(null, 0);

    public IntentPrediction {
        if (!(confidence >= 0 && confidence <= 1)) throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
    }
}
