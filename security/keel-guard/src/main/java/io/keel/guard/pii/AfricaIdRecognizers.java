package io.keel.guard.pii;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;

/** Identifiers of South Africa and Nigeria. */
public final class AfricaIdRecognizers {
    private AfricaIdRecognizers() {
    }

    public static List<PiiRecognizer> nigeria() {
        return List.of(ngVehicleRegistration());
    }

    public static List<PiiRecognizer> southAfrica() {
        return List.of(zaIdNumber());
    }

    /**
     * Nigerian vehicle registration plate (2011 format): three letters of the local government area, an optional hyphen
     * or space, a serial 001–999 and two letters. A plate is weak evidence: 0.3.
     */
    public static PatternRecognizer ngVehicleRegistration() {
        return new PatternRecognizer("ng-vehicle-registration", "NG_VEHICLE_REGISTRATION", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("plate", "\\b[A-Z]{3}[- ]?(?!000)[0-9]{3}[A-Z]{2}\\b", 0.3)),
                ContextWords.of("plate number", "vehicle registration", "license plate", "number plate", "plate", "vehicle",
                        "registration"),
                new PatternRecognizer.Runs("0-9A-Za-z -", 3, 8));
    }

    /**
     * South African identity number YYMMDD SSSS C A Z: a birth date that exists and is not in the future (YY above this
     * year's two digits is 19YY, else 20YY), citizenship 0–2, the legacy digit 8 or 9, and a Luhn check digit. All of it
     * must hold: a valid number scores 1.0, anything else is dropped.
     */
    public static PatternRecognizer zaIdNumber() {
        return new PatternRecognizer("za-id-number", "ZA_ID_NUMBER", List.of(
                PatternRecognizer.Rule.of("za id", "\\b[0-9]{10}[0-2][89][0-9]\\b", 1.0)),
                ContextWords.of("id", "identity", "identity number", "id number", "south african id", "rsa id", "smart id",
                        "national id"),
                PatternRecognizer.Runs.of("0-9", 13)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return validBirthDate(match.substring(0, 6), LocalDate.now()) && Checksums.luhn(match) ? 1.0 : 0.0;
            }
        };
    }

    /** Whether {@code yymmdd} is a date on or before {@code today}, the century chosen by the pivot on today's year. */
    static boolean validBirthDate(String yymmdd, LocalDate today) {
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int year = (yy > today.getYear() % 100 ? 1900 : 2000) + yy;
        try {
            return !LocalDate.of(year, Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6))).isAfter(today);
        } catch (DateTimeException e) {
            return false;
        }
    }
}
