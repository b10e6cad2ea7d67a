package io.keel.guard.pii;

import java.util.List;

/** German identifiers (DE_*). */
public final class GermanIdRecognizers {
    private GermanIdRecognizers() {
    }

    public static List<PiiRecognizer> all() {
        return List.of();
    }
}
