package io.keel.guard.injection;

/** A trained binary classifier over a fixed-length feature vector. */
public interface BinaryModel {
    /** P(label = 1 | x). */
    double probability(float[] x);

    /** The length of the feature vectors it takes. */
    int dimensions();
}
