package io.keel.experiments.stats;

import io.keel.core.error.KeelException;

/** Argument checks shared by the tests. */
final class Alpha {
    private Alpha() {
    }

    static double check(double alpha) {
        if (!(alpha > 0 && alpha < 1)) throw KeelException.invalid("alpha must be between 0 and 1 (exclusive); got " + alpha);
        return alpha;
    }
}
