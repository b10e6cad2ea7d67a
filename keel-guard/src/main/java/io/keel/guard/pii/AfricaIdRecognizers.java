package io.keel.guard.pii;

import java.util.List;

/** Identifiers of South Africa and Nigeria. */
public final class AfricaIdRecognizers {
    private AfricaIdRecognizers() {
    }

    public static List<PiiRecognizer> nigeria() {
        return List.of();
    }

    public static List<PiiRecognizer> southAfrica() {
        return List.of();
    }
}
