package io.keel.guard.pii;

import java.util.List;
import java.util.Locale;

/** National identity and tax numbers whose format and check digits are public. */
public final class NationalIdRecognizers {
    private static final int[][] VERHOEFF_D = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
            {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
            {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final int[][] VERHOEFF_P = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
            {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
            {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    private static final String NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
    private static final String FI_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY";

    private NationalIdRecognizers() {
    }

    public static List<PiiRecognizer> all() {
        return List.of(auAbn(), auAcn(), auTfn(), caSin(), esNif(), fiPersonalIdentityCode(), inAadhaar(), inPan(),
                plPesel(), trNationalId(), ukNino(), usNpi());
    }

    /**
     * Canadian social insurance number: nine digits, Luhn, never starting with 0 or 8. A Luhn pass is weak evidence
     * for nine digits (one number in ten passes), so a valid SIN keeps its pattern score: 0.6 grouped, 0.3 bare.
     */
    public static PatternRecognizer caSin() {
        return new PatternRecognizer("ca-sin", "CA_SIN", List.of(
                PatternRecognizer.Rule.of("sin grouped", "\\b\\d{3}([- ])\\d{3}\\1\\d{3}\\b", 0.6),
                PatternRecognizer.Rule.of("sin bare", "\\b\\d{9}\\b", 0.3)),
                ContextWords.of("sin", "social insurance", "nas", "numéro d'assurance sociale", "insurance"),
                PatternRecognizer.Runs.of("0-9 -", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                boolean ok = d.charAt(0) != '0' && d.charAt(0) != '8' && d.chars().distinct().count() > 1 && Checksums.luhn(d);
                return ok ? rule.score() : 0.0;
            }
        };
    }

    /** Spanish NIF/DNI: seven or eight digits and the control letter of their value mod 23. */
    public static PatternRecognizer esNif() {
        return new PatternRecognizer("es-nif", "ES_NIF", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("nif", "\\b[0-9]?[0-9]{7}-?[A-Z]\\b", 0.5)),
                ContextWords.of("nif", "dni", "documento", "identidad", "fiscal"),
                PatternRecognizer.Runs.of("0-9A-Za-z-", 7)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                char letter = Character.toUpperCase(match.charAt(match.length() - 1));
                return NIF_LETTERS.charAt((int) (Long.parseLong(d) % 23)) == letter ? 1.0 : 0.0;
            }
        };
    }

    /** Indian Aadhaar: twelve digits (groups of four may be separated), first digit 2–9, Verhoeff check digit. */
    public static PatternRecognizer inAadhaar() {
        return new PatternRecognizer("in-aadhaar", "IN_AADHAAR", List.of(
                PatternRecognizer.Rule.of("aadhaar", "\\b[0-9]{4}([- :]?)[0-9]{4}\\1[0-9]{4}\\b", 0.01)),
                ContextWords.of("aadhaar", "uidai", "uid"),
                PatternRecognizer.Runs.of("0-9 :-", 12)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                return d.charAt(0) >= '2' && verhoeff(d) && !isPalindrome(d) ? 1.0 : 0.0;
            }
        };
    }

    /** Indian PAN: five letters (the fourth a holder type), four digits, a letter. */
    public static PatternRecognizer inPan() {
        return new PatternRecognizer("in-pan", "IN_PAN", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("pan (high)", "\\b[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]\\b", 0.85),
                PatternRecognizer.Rule.ofIgnoreCase("pan (medium)", "\\b[A-Z]{5}[0-9]{4}[A-Z]\\b", 0.6),
                PatternRecognizer.Rule.of("pan (very weak)",
                        "\\b(?=[\\w@#$%^?~-]{0,9}[A-Za-z])(?=[\\w@#$%^?~-]{0,6}[0-9]{4})[\\w@#$%^?~-]{10}\\b", 0.05)),
                ContextWords.of("permanent account number", "pan"),
                new PatternRecognizer.Runs("0-9A-Za-z_@#$%^?~-", 4, 10));
    }

    /** Polish PESEL: birth date encoded with the century in the month, weighted check digit. */
    public static PatternRecognizer plPesel() {
        return new PatternRecognizer("pl-pesel", "PL_PESEL", List.of(
                PatternRecognizer.Rule.of("pesel", "\\b[0-9]{2}([02468][1-9]|[13579][012])(0[1-9]|[12][0-9]|3[01])[0-9]{5}\\b", 0.4)),
                ContextWords.of("pesel"),
                PatternRecognizer.Runs.of("0-9", 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int sum = Checksums.weightedSum(match, 1, 3, 7, 9, 1, 3, 7, 9, 1, 3);
                return (10 - sum % 10) % 10 == match.charAt(10) - '0' ? 1.0 : 0.0;
            }
        };
    }

    /** Turkish identity number (TCKN): eleven digits, no leading zero, two check digits. */
    public static PatternRecognizer trNationalId() {
        return new PatternRecognizer("tr-national-id", "TR_NATIONAL_ID", List.of(
                PatternRecognizer.Rule.of("tckn", "\\b[1-9][0-9]{10}\\b", 0.5)),
                ContextWords.of("tckn", "kimlik", "tc", "nüfus", "vatandaşlık"),
                PatternRecognizer.Runs.of("0-9", 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int[] d = match.chars().map(c -> c - '0').toArray();
                int odd = d[0] + d[2] + d[4] + d[6] + d[8];
                int even = d[1] + d[3] + d[5] + d[7];
                int c10 = Math.floorMod(odd * 7 - even, 10);
                int c11 = 0;
                for (int i = 0; i < 10; i++) c11 += d[i];
                return c10 == d[9] && c11 % 10 == d[10] ? 1.0 : 0.0;
            }
        };
    }

    /** UK National Insurance number: two prefix letters from the allowed sets, six digits, suffix A–D. */
    public static PatternRecognizer ukNino() {
        return new PatternRecognizer("uk-nino", "UK_NINO", List.of(
                PatternRecognizer.Rule.of("nino",
                        "(?i)\\b(?!bg|gb|nk|kn|nt|tn|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[a-d]\\b", 0.5)),
                ContextWords.of("national insurance", "ni number", "nino", "insurance"),
                PatternRecognizer.Runs.of("0-9A-Za-z ", 6)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return match.toLowerCase(Locale.ROOT).contains(" 00 00 00") ? 0.0 : rule.score();
            }
        };
    }

    /** Australian business number: eleven digits, weighted sum (first digit minus one) divisible by 89. */
    public static PatternRecognizer auAbn() {
        return new PatternRecognizer("au-abn", "AU_ABN", List.of(
                PatternRecognizer.Rule.of("abn grouped", "\\b\\d{2} \\d{3} \\d{3} \\d{3}\\b", 0.5),
                PatternRecognizer.Rule.of("abn bare", "\\b\\d{11}\\b", 0.1)),
                ContextWords.of("australian business number", "abn"),
                PatternRecognizer.Runs.of("0-9 ", 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int[] d = Checksums.digitsOnly(match).chars().map(c -> c - '0').toArray();
                int[] w = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
                d[0] -= 1;
                int sum = 0;
                for (int i = 0; i < 11; i++) sum += d[i] * w[i];
                return sum % 89 == 0 ? 1.0 : 0.0;
            }
        };
    }

    /** Australian company number: nine digits, weights 8..1, complement of the sum mod 10. */
    public static PatternRecognizer auAcn() {
        return new PatternRecognizer("au-acn", "AU_ACN", List.of(
                PatternRecognizer.Rule.of("acn grouped", "\\b\\d{3} \\d{3} \\d{3}\\b", 0.4),
                PatternRecognizer.Rule.of("acn bare", "\\b\\d{9}\\b", 0.1)),
                ContextWords.of("australian company number", "acn"),
                PatternRecognizer.Runs.of("0-9 ", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                int sum = Checksums.weightedSum(d, 8, 7, 6, 5, 4, 3, 2, 1);
                return (10 - sum % 10) % 10 == d.charAt(8) - '0' ? 1.0 : 0.0;
            }
        };
    }

    /** Australian tax file number: nine digits, weighted sum divisible by 11. */
    public static PatternRecognizer auTfn() {
        return new PatternRecognizer("au-tfn", "AU_TFN", List.of(
                PatternRecognizer.Rule.of("tfn grouped", "\\b\\d{3} \\d{3} \\d{3}\\b", 0.1),
                PatternRecognizer.Rule.of("tfn bare", "\\b\\d{9}\\b", 0.01)),
                ContextWords.of("tax file number", "tfn"),
                PatternRecognizer.Runs.of("0-9 ", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                int sum = Checksums.weightedSum(d, 1, 4, 3, 7, 5, 8, 6, 9, 10);
                return sum % 11 == 0 ? 1.0 : 0.0;
            }
        };
    }

    /** Finnish personal identity code (henkilötunnus): birth date, century sign, individual number, mod-31 check. */
    public static PatternRecognizer fiPersonalIdentityCode() {
        return new PatternRecognizer("fi-personal-identity-code", "FI_PERSONAL_IDENTITY_CODE", List.of(
                PatternRecognizer.Rule.of("hetu", "(?<![0-9])\\d{6}[-+A-FU-Y]\\d{3}[0-9A-Y](?![0-9A-Za-z])", 0.5)),
                ContextWords.of("hetu", "henkilötunnus", "personbeteckning", "personal identity code"),
                PatternRecognizer.Runs.of("0-9A-Z+-", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int day = Integer.parseInt(match.substring(0, 2));
                int month = Integer.parseInt(match.substring(2, 4));
                int year = Integer.parseInt(match.substring(4, 6));
                char sign = match.charAt(6);
                int century = sign == '+' ? 1800 : "-YXWVU".indexOf(sign) >= 0 ? 1900 : 2000;
                try {
                    java.time.LocalDate.of(century + year, month, day);
                } catch (java.time.DateTimeException e) {
                    return 0.0;
                }
                long n = Long.parseLong(match.substring(0, 6) + match.substring(7, 10));
                return FI_CHECK.charAt((int) (n % 31)) == match.charAt(10) ? 1.0 : 0.0;
            }
        };
    }

    /** US national provider identifier: ten digits starting 1 or 2, Luhn over the 80840 prefix. */
    public static PatternRecognizer usNpi() {
        return new PatternRecognizer("us-npi", "US_NPI", List.of(
                PatternRecognizer.Rule.of("npi", "\\b[12]\\d{9}\\b", 0.3),
                PatternRecognizer.Rule.of("npi grouped", "\\b[12]\\d{3}([- ])\\d{3}\\1\\d{3}\\b", 0.3)),
                ContextWords.of("npi", "national provider identifier", "provider"),
                PatternRecognizer.Runs.of("0-9 -", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                boolean placeholder = d.substring(0, 9).chars().distinct().count() == 1;   // 111111111x and the like
                return !placeholder && Checksums.luhn("80840" + d) ? 1.0 : 0.0;
            }
        };
    }

    static boolean verhoeff(String digits) {
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][digit]];
        }
        return c == 0;
    }

    private static boolean isPalindrome(String s) {
        return new StringBuilder(s).reverse().toString().equals(s);
    }
}
