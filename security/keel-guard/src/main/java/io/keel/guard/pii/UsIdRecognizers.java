package io.keel.guard.pii;

import java.util.List;

/** US identifiers beyond the standard set (Medicare beneficiary identifier, DEA registration). */
public final class UsIdRecognizers {
    /** Letters an MBI may use: A–Z without S, L, O, I, B and Z. */
    private static final String MBI_LETTER = "[ACDEFGHJKMNPQRTUVWXY]";
    private static final String MBI_ALNUM = "[0-9ACDEFGHJKMNPQRTUVWXY]";

    private UsIdRecognizers() {
    }

    public static List<PiiRecognizer> all() {
        return List.of(usMbi(), medicalLicense());
    }

    /**
     * US Medicare beneficiary identifier: eleven characters, digit / letter / letter-or-digit / digit / letter /
     * letter-or-digit / digit / letter / letter / digit / digit, never S, L, O, I, B or Z, optionally shown as
     * XXXX-XXX-XXXX. No check digit; the layout is distinctive: 0.5 with the dashes, 0.3 bare.
     */
    public static PatternRecognizer usMbi() {
        String a = MBI_LETTER;
        String an = MBI_ALNUM;
        String p1 = "[0-9]" + a + an + "[0-9]";
        String p2 = a + an + "[0-9]";
        String p3 = a + a + "[0-9]{2}";
        return new PatternRecognizer("us-mbi", "US_MBI", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("mbi (weak)", "\\b" + p1 + p2 + p3 + "\\b", 0.3),
                PatternRecognizer.Rule.ofIgnoreCase("mbi (medium)", "\\b" + p1 + "-" + p2 + "-" + p3 + "\\b", 0.5)),
                ContextWords.of("medicare", "mbi", "beneficiary", "cms", "medicaid", "hic", "hicn"),
                new PatternRecognizer.Runs("0-9A-Za-z-", 5, 11));
    }

    /**
     * US DEA registration number (Presidio's MEDICAL_LICENSE): registrant-type letter, a letter (the registrant's
     * initial) or 9, seven digits; the last digit is (d1 + d3 + d5 + 2 × (d2 + d4 + d6)) mod 10. Proven: 1.0.
     */
    public static PatternRecognizer medicalLicense() {
        return new PatternRecognizer("medical-license", "MEDICAL_LICENSE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("dea certificate number", "\\b[ABCDEFGHJKLMPRSTUX][A-Z9][0-9]{7}\\b", 0.4)),
                ContextWords.of("medical", "certificate", "dea", "dea number", "registration"),
                new PatternRecognizer.Runs("0-9A-Za-z", 7, 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return deaCheck(match.substring(2)) ? 1.0 : 0.0;
            }
        };
    }

    /** The DEA check over seven digits. */
    static boolean deaCheck(String d) {
        int odd = (d.charAt(0) - '0') + (d.charAt(2) - '0') + (d.charAt(4) - '0');
        int even = (d.charAt(1) - '0') + (d.charAt(3) - '0') + (d.charAt(5) - '0');
        return (odd + 2 * even) % 10 == d.charAt(6) - '0';
    }
}
