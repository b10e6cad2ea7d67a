package io.keel.guard.pii;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Identifiers of the United Kingdom, Turkey, Sweden, Spain and Italy. */
public final class EuropeIdRecognizers {
    private static final String NIE_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
    /** Italian fiscal code: values of the characters in odd positions (1st, 3rd, ...), digits then letters. */
    private static final int[] CF_ODD_DIGITS = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    private static final int[] CF_ODD_LETTERS = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16,
            10, 22, 25, 24, 23};
    private static final Pattern UK_DL_SURNAME = Pattern.compile("[A-Z]+9*");
    /** Score of a plate written with lower-case letters: prose ("was 3 a", "10 to 20") is full of those shapes. */
    private static final double LOWER_CASE_PLATE = 0.05;

    private EuropeIdRecognizers() {
    }

    public static List<PiiRecognizer> italy() {
        return List.of(itDriverLicense(), itFiscalCode(), itVatCode(), itIdentityCard(), itPassport());
    }

    public static List<PiiRecognizer> spain() {
        return List.of(esNie(), esPassport());
    }

    public static List<PiiRecognizer> sweden() {
        return List.of(sePersonnummer(), seOrganisationsnummer());
    }

    public static List<PiiRecognizer> turkey() {
        return List.of(trPhoneNumber(), trLicensePlate());
    }

    public static List<PiiRecognizer> unitedKingdom() {
        return List.of(ukVehicleRegistration(), ukDrivingLicence(), ukPostcode(), ukPassport());
    }

    // ---------------------------------------------------------------- United Kingdom

    /**
     * UK vehicle registration: current (AB51 ABC, age identifier 02–29 or 51–79), prefix (A123 BCD) and suffix
     * (ABC 123D) formats without the letters the DVLA never issues in each position. No check digit: 0.3 / 0.2 / 0.15,
     * and 0.05 when written in lower case.
     */
    public static PatternRecognizer ukVehicleRegistration() {
        return new PatternRecognizer("uk-vehicle-registration", "UK_VEHICLE_REGISTRATION", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("uk reg (current)",
                        "\\b[A-HJ-PR-Y]{2}(?:0[1-9]|[1-7][0-9])[- ]?[A-HJ-PR-Z]{3}\\b", 0.3),
                PatternRecognizer.Rule.ofIgnoreCase("uk reg (prefix)",
                        "\\b[A-HJ-NPR-TV-Y][0-9]{1,3}[- ]?[A-HJ-PR-Y][A-HJ-PR-Z]{2}\\b", 0.2),
                PatternRecognizer.Rule.ofIgnoreCase("uk reg (suffix)",
                        "\\b[A-HJ-PR-Z]{3}[- ]?[0-9]{1,3}[- ]?[A-HJ-NPR-TV-Y]\\b", 0.15)),
                ContextWords.of("vehicle", "registration", "number plate", "licence plate", "license plate", "reg", "vrn",
                        "dvla", "v5c", "logbook", "mot", "car"),
                new PatternRecognizer.Runs("0-9A-Za-z -", 1, 5)) {
            @Override
            protected double rescore(String match, Rule rule) {
                if (rule.name().equals("uk reg (current)")) {
                    int age = Integer.parseInt(match.substring(2, 4));
                    if (!(age >= 2 && age <= 29) && !(age >= 51 && age <= 79)) return 0.0;
                }
                return hasLowerCase(match) ? LOWER_CASE_PLATE : rule.score();
            }
        };
    }

    /**
     * UK (DVLA) driving licence: five surname characters (letters padded with trailing 9s), decade digit, month (+50
     * for women), day, year digit, two initials, a digit and two check letters. The check algorithm is not public: a
     * real birth date and a well-formed surname keep the distinctive shape's 0.5.
     */
    public static PatternRecognizer ukDrivingLicence() {
        return new PatternRecognizer("uk-driving-licence", "UK_DRIVING_LICENCE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("uk driving licence",
                        "\\b[A-Z9]{5}[0-9](?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9][A-Z9]{2}[A-Z0-9][A-Z]{2}\\b",
                        0.5)),
                ContextWords.of("driving licence", "driving license", "driver's licence", "driver's license", "dvla",
                        "dl number", "licence number", "license number", "licence"),
                new PatternRecognizer.Runs("0-9A-Za-z", 6, 16)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String m = match.toUpperCase(Locale.ROOT);
                if (!UK_DL_SURNAME.matcher(m.substring(0, 5)).matches()) return 0.0;
                int month = Integer.parseInt(m.substring(6, 8)) % 50;
                int day = Integer.parseInt(m.substring(8, 10));
                int yy = (m.charAt(5) - '0') * 10 + (m.charAt(10) - '0');
                return day <= daysInMonth(month, yy % 4 == 0) ? rule.score() : 0.0;
            }
        };
    }

    /**
     * UK postcode: outward code (area letters, district digits, optional sub-district letter) and inward code (digit and
     * two letters), with the letters Royal Mail excludes per position, plus GIR 0AA. A weak shape: 0.1.
     */
    public static PatternRecognizer ukPostcode() {
        return new PatternRecognizer("uk-postcode", "UK_POSTCODE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("uk postcode", "\\b(?:GIR ?0AA"
                        + "|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
                        + "|[A-PR-UWYZ][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
                        + "|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
                        + "|[A-PR-UWYZ][A-HK-Y][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2})\\b", 0.1)),
                ContextWords.of("postcode", "post code", "postal code", "zip", "address", "delivery", "mailing", "shipping",
                        "correspondence"),
                new PatternRecognizer.Runs("0-9A-Za-z ", 1, 5));
    }

    /** UK passport (2015 onwards): two letters and seven digits. Many documents share the shape: 0.1. */
    public static PatternRecognizer ukPassport() {
        return new PatternRecognizer("uk-passport", "UK_PASSPORT", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("uk passport (weak)", "\\b[A-Z]{2}[0-9]{7}\\b", 0.1)),
                ContextWords.of("passport", "passport number", "travel document", "uk passport", "british passport",
                        "hm passport", "hmpo"),
                new PatternRecognizer.Runs("0-9A-Za-z", 7, 9));
    }

    // ---------------------------------------------------------------- Turkey

    /**
     * Turkish phone number: +90, 0 or no prefix, then a mobile (5xx) or geographic (2xx–4xx) area code and seven
     * digits, grouped 3-3-2-2 with spaces, hyphens or dots. No check digit: mobile 0.4 / 0.3 / 0.15 (international,
     * national, local), geographic 0.1 / 0.1 / 0.05.
     */
    public static PatternRecognizer trPhoneNumber() {
        String sep = "[ .-]?";
        String rest = "\\)?" + sep + "[0-9]{3}" + sep + "[0-9]{2}" + sep + "[0-9]{2}(?![A-Za-z0-9_])";
        return new PatternRecognizer("tr-phone-number", "TR_PHONE_NUMBER", List.of(
                PatternRecognizer.Rule.of("tr mobile (international)", "(?<![A-Za-z0-9_])\\+90" + sep + "\\(?5[0-9]{2}" + rest, 0.4),
                PatternRecognizer.Rule.of("tr mobile (national)", "(?<![A-Za-z0-9_])0" + sep + "\\(?5[0-9]{2}" + rest, 0.3),
                PatternRecognizer.Rule.of("tr mobile (local)", "(?<![A-Za-z0-9_])\\(?5[0-9]{2}" + rest, 0.15),
                PatternRecognizer.Rule.of("tr geographic (international)", "(?<![A-Za-z0-9_])\\+90" + sep + "\\(?[234][0-9]{2}" + rest, 0.1),
                PatternRecognizer.Rule.of("tr geographic (national)", "(?<![A-Za-z0-9_])0" + sep + "\\(?[234][0-9]{2}" + rest, 0.1),
                PatternRecognizer.Rule.of("tr geographic (local)", "(?<![A-Za-z0-9_])\\(?[234][0-9]{2}" + rest, 0.05)),
                ContextWords.of("telefon", "telefon numarası", "cep telefonu", "cep no", "telefon no", "numara", "numaram",
                        "telefonum", "cep numarası", "mobil no", "mobil telefon", "iletişim", "irtibat", "phone",
                        "phone number", "mobile", "cell", "cellphone", "sms", "whatsapp", "telegram", "viber"),
                PatternRecognizer.Runs.of("0-9 ().+-", 10));
    }

    /**
     * Turkish licence plate (plaka): province code 01–81, one to three letters of the Turkish plate alphabet (no Q, W,
     * X), two to four digits. A weak shape: 0.3, and 0.05 when written in lower case.
     */
    public static PatternRecognizer trLicensePlate() {
        return new PatternRecognizer("tr-license-plate", "TR_LICENSE_PLATE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("tr plate",
                        "\\b(?:0[1-9]|[1-7][0-9]|8[01])(?: ?[A-PR-VYZ]{1,3} ?|-[A-PR-VYZ]{1,3}-)[0-9]{2,4}\\b", 0.3)),
                ContextWords.of("plaka", "araç plakası", "plaka numarası", "kayıt plakası", "taşıt plakası", "license plate",
                        "licence plate", "number plate", "plate"),
                new PatternRecognizer.Runs("0-9A-Za-z -", 4, 5)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return hasLowerCase(match) ? LOWER_CASE_PLATE : rule.score();
            }
        };
    }

    // ---------------------------------------------------------------- Sweden

    /**
     * Swedish personnummer: YYMMDD or YYYYMMDD (century 18–20), optional - or +, four digits; month 01–12, day 01–31
     * (61–91 for a samordningsnummer), Luhn over the last ten digits. Proven: 1.0 written with a separator or the full
     * year; a bare ten-digit run keeps 0.4 (one in ten passes Luhn).
     */
    public static PatternRecognizer sePersonnummer() {
        return new PatternRecognizer("se-personnummer", "SE_PERSONNUMMER", List.of(
                PatternRecognizer.Rule.of("personnummer", "(?<![0-9])(?:[0-9]{6}|[0-9]{8})[-+]?[0-9]{4}(?![0-9])", 0.4)),
                ContextWords.of("personnummer", "svenskt personnummer", "svensk id", "personal identity number",
                        "samordningsnummer", "pnr"),
                PatternRecognizer.Runs.of("0-9+-", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                if (d.length() == 12 && !(d.startsWith("18") || d.startsWith("19") || d.startsWith("20"))) return 0.0;
                String ten = d.substring(d.length() - 10);
                int month = Integer.parseInt(ten.substring(2, 4));
                int day = Integer.parseInt(ten.substring(4, 6));
                if (day >= 61) day -= 60;
                if (month < 1 || month > 12 || day < 1 || day > 31 || !Checksums.luhn(ten)) return 0.0;
                return d.length() == 12 || match.length() > d.length() ? 1.0 : rule.score();
            }
        };
    }

    /**
     * Swedish organisationsnummer: ten digits (optional hyphen after the sixth), third digit at least 2, Luhn. One ten-
     * digit number in twelve passes: 0.6 with the hyphen, 0.3 bare.
     */
    public static PatternRecognizer seOrganisationsnummer() {
        return new PatternRecognizer("se-organisationsnummer", "SE_ORGANISATIONSNUMMER", List.of(
                PatternRecognizer.Rule.of("orgnr", "(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])", 0.3)),
                ContextWords.of("organisationsnummer", "orgnr", "org nr", "orgnummer", "företagsnummer"),
                PatternRecognizer.Runs.of("0-9-", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                if (d.charAt(2) < '2' || !Checksums.luhn(d)) return 0.0;
                return match.indexOf('-') >= 0 ? 0.6 : rule.score();
            }
        };
    }

    // ---------------------------------------------------------------- Spain

    /** Spanish NIE: X, Y or Z (for 0, 1, 2), seven digits and the control letter of the eight-digit value mod 23. */
    public static PatternRecognizer esNie() {
        return new PatternRecognizer("es-nie", "ES_NIE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("nie", "\\b[XYZ][0-9]{7}-?[A-Z]\\b", 0.5)),
                ContextWords.of("nie", "número de identificación de extranjero", "extranjero"),
                PatternRecognizer.Runs.of("0-9A-Za-z-", 7)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String m = match.toUpperCase(Locale.ROOT);
                long n = Long.parseLong("XYZ".indexOf(m.charAt(0)) + m.substring(1, 8));
                return NIE_LETTERS.charAt((int) (n % 23)) == m.charAt(m.length() - 1) ? 1.0 : 0.0;
            }
        };
    }

    /** Spanish passport: three letters and six digits. No check digit: 0.4. */
    public static PatternRecognizer esPassport() {
        return new PatternRecognizer("es-passport", "ES_PASSPORT", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("es passport", "\\b[A-Z]{3}[0-9]{6}\\b", 0.4)),
                ContextWords.of("pasaporte", "passport", "número de pasaporte", "passport number"),
                new PatternRecognizer.Runs("0-9A-Za-z", 6, 9));
    }

    // ---------------------------------------------------------------- Italy

    /** Italian driving licence (patente): two letters, seven digits, a letter; or U1, seven characters, a letter. 0.2. */
    public static PatternRecognizer itDriverLicense() {
        return new PatternRecognizer("it-driver-license", "IT_DRIVER_LICENSE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("patente",
                        "\\b(?:[A-Z]{2}[0-9]{7}[A-Z]|U1[BCDEFGHLJKMNPRSTUWYXZ0-9]{7}[A-Z])\\b", 0.2)),
                ContextWords.of("patente", "patente di guida", "licenza", "licenza di guida"),
                new PatternRecognizer.Runs("0-9A-Za-z", 1, 10));
    }

    /**
     * Italian fiscal code (codice fiscale): surname and name consonants, birth year, month letter, day (+40 for women),
     * municipality code (digits may be replaced by omocodia letters), and a check letter over the odd/even position
     * tables mod 26. A valid check letter scores 1.0; like Presidio, a well-formed code with a wrong one keeps 0.3.
     */
    public static PatternRecognizer itFiscalCode() {
        String regex = "(?<![A-Za-z0-9])(?:(?:[A-Z][AEIOU][AEIOUX]|[AEIOU]X{2}|[B-DF-HJ-NP-TV-Z]{2}[A-Z]){2}"
                + "(?:[0-9LMNP-V]{2}(?:[A-EHLMPR-T](?:[04LQ][1-9MNP-V]|[15MR][0-9LMNP-V]|[26NS][0-8LMNP-U])"
                + "|[DHPS][37PT][0L]|[ACELMRT][37PT][01LM]|[AC-EHLMPR-T][26NS][9V])"
                + "|(?:[02468LNQSU][048LQU]|[13579MPRTV][26NS])B[26NS][9V])"
                + "(?:[A-MZ][1-9MNP-V][0-9LMNP-V]{2}|[A-M][0L](?:[1-9MNP-V][0-9LMNP-V]|[0L][1-9MNP-V]))[A-Z])"
                + "(?![A-Za-z0-9])";
        return new PatternRecognizer("it-fiscal-code", "IT_FISCAL_CODE", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("codice fiscale", regex, 0.3)),
                ContextWords.of("codice fiscale", "cf"),
                new PatternRecognizer.Runs("0-9A-Za-z", 0, 16)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return itFiscalCodeCheck(match.toUpperCase(Locale.ROOT)) ? 1.0 : rule.score();
            }
        };
    }

    /**
     * Italian VAT number (partita IVA): eleven digits (spaces or underscores allowed between them), Luhn-style check
     * digit, never all zeros. One eleven-digit number in ten passes: 0.4 when valid.
     */
    public static PatternRecognizer itVatCode() {
        return new PatternRecognizer("it-vat-code", "IT_VAT_CODE", List.of(
                PatternRecognizer.Rule.of("partita iva", "\\b[0-9](?:[ _]?[0-9]){10}\\b", 0.4)),
                ContextWords.of("piva", "partita iva", "p.iva", "iva"),
                PatternRecognizer.Runs.of("0-9 _", 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                return !d.equals("00000000000") && Checksums.luhn(d) ? rule.score() : 0.0;
            }
        };
    }

    /**
     * Italian identity card: paper (two letters, seven digits), CIE 2.0 (seven digits, two letters) and CIE 3.0 (two
     * letters, five digits, two letters). Common shapes without a check digit: 0.01.
     */
    public static PatternRecognizer itIdentityCard() {
        return new PatternRecognizer("it-identity-card", "IT_IDENTITY_CARD", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("carta d'identità (paper)", "\\b[A-Z]{2} ?[0-9]{7}\\b", 0.01),
                PatternRecognizer.Rule.ofIgnoreCase("cie 2.0", "\\b[0-9]{7}[A-Z]{2}\\b", 0.01),
                PatternRecognizer.Rule.ofIgnoreCase("cie 3.0", "\\b[A-Z]{2}[0-9]{5}[A-Z]{2}\\b", 0.01)),
                ContextWords.of("carta", "identità", "elettronica", "cie", "documento", "riconoscimento", "espatrio"),
                new PatternRecognizer.Runs("0-9A-Za-z ", 5, 9));
    }

    /** Italian passport: two letters and seven digits. A common shape without a check digit: 0.01. */
    public static PatternRecognizer itPassport() {
        return new PatternRecognizer("it-passport", "IT_PASSPORT", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("passaporto", "\\b[A-Z]{2}[0-9]{7}\\b", 0.01)),
                ContextWords.of("passaporto", "elettronico", "italiano", "viaggio", "viaggiare", "estero", "documento",
                        "dogana"),
                new PatternRecognizer.Runs("0-9A-Za-z", 7, 9));
    }

    // ---------------------------------------------------------------- helpers

    /** Check letter of an upper-case 16-character fiscal code. */
    static boolean itFiscalCodeCheck(String code) {
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            char c = code.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (i % 2 == 0) {
                sum += digit ? CF_ODD_DIGITS[c - '0'] : CF_ODD_LETTERS[c - 'A'];
            } else {
                sum += digit ? c - '0' : c - 'A';
            }
        }
        return (char) ('A' + sum % 26) == code.charAt(15);
    }

    private static int daysInMonth(int month, boolean leap) {
        return switch (month) {
            case 2 -> leap ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean hasLowerCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') return true;
        }
        return false;
    }
}
