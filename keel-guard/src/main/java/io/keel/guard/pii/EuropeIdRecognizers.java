package io.keel.guard.pii;

import java.util.List;

/** Identifiers of the United Kingdom, Turkey, Sweden, Spain and Italy. */
public final class EuropeIdRecognizers {
    private EuropeIdRecognizers() {
    }

    public static List<PiiRecognizer> italy() {
        return List.of();
    }

    public static List<PiiRecognizer> spain() {
        return List.of();
    }

    public static List<PiiRecognizer> sweden() {
        return List.of();
    }

    public static List<PiiRecognizer> turkey() {
        return List.of();
    }

    public static List<PiiRecognizer> unitedKingdom() {
        return List.of();
    }
}
