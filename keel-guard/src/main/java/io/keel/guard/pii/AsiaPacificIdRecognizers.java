package io.keel.guard.pii;

import java.util.List;

/** Identifiers of Korea, India, Thailand, the Philippines, Singapore and Australia. */
public final class AsiaPacificIdRecognizers {
    private AsiaPacificIdRecognizers() {
    }

    public static List<PiiRecognizer> australia() {
        return List.of();
    }

    public static List<PiiRecognizer> india() {
        return List.of();
    }

    public static List<PiiRecognizer> korea() {
        return List.of();
    }

    public static List<PiiRecognizer> philippines() {
        return List.of();
    }

    public static List<PiiRecognizer> singapore() {
        return List.of();
    }

    public static List<PiiRecognizer> thailand() {
        return List.of();
    }
}
