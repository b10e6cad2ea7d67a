package io.keel.guard.pii;

import io.keel.guard.pii.PatternRecognizer.Rule;
import io.keel.guard.pii.PatternRecognizer.Runs;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * German identifiers (DE_*), the {@code de} pack of {@link CountryRecognizers}.
 *
 * <p>How they score, so that the default threshold of 0.5 finds identifiers and not order numbers:
 * <ul>
 *   <li>a check digit on a shape ordinary text rarely has proves the match: 1.0 (VAT id with its {@code DE}, tax id
 *   with its digit-occurrence rule, pension insurance number with its birth date and letter);</li>
 *   <li>a check digit on a shape that order and document numbers also have keeps a base score: 0.5 for a letter and
 *   nine digits (health insurance), below 0.5 for nine characters (passport, ID card) and nine digits (LANR), which
 *   then need a context word near them;</li>
 *   <li>shapes without a check digit (postcode, licence plate, register, tax and driving licence numbers) score low
 *   unless a context word is near, and the practice number (BSNR), which looks like any nine digits, is reported
 *   only after its own key word.</li>
 * </ul>
 * A match whose check digit, date or length is wrong is not reported at all.
 */
public final class GermanIdRecognizers {
    private static final String ICAO_LETTERS = "CFGHJKLMNPRTVWXYZ";
    private static final String[] NOT_ORDERS = {"order", "bestellung", "bestellnummer", "auftragsnummer", "rechnungsnummer",
            "invoice", "eur", "euro", "usd"};
    /** Two-digit Land prefixes of the 13-digit ELSTER tax number; Bavaria and North Rhine-Westphalia use one digit, 9 and 5. */
    private static final Set<Integer> ELSTER_PREFIXES = Set.of(10, 11, 21, 22, 23, 24, 26, 27, 28, 30, 31, 32, 40, 41);

    private GermanIdRecognizers() {
    }

    /** Every German recognizer, one per entity type. */
    public static List<PiiRecognizer> all() {
        return List.of(vatId(), taxId(), taxNumber(), socialSecurityNumber(), healthInsuranceNumber(), passport(), idCard(),
                driverLicense(), lanr(), bsnr(), postalCode(), licensePlate(), commercialRegister());
    }

    /** VAT id (USt-IdNr.): {@code DE} and nine digits, the last an ISO 7064 MOD 11,10 check digit; groups may be separated. */
    public static PatternRecognizer vatId() {
        return new PatternRecognizer("de-vat-id", "DE_VAT_ID", List.of(
                Rule.ofIgnoreCase("ust-idnr", "\\bDE[ .-]?[0-9]{3}[ .-]?[0-9]{3}[ .-]?[0-9]{3}\\b", 0.3)),
                ContextWords.of("ust", "ust idnr", "ustidnr", "umsatzsteuer", "umsatzsteuer identifikationsnummer", "vat", "vat id", "mwst"),
                new Runs("0-9A-Za-z .-", 9, 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int[] d = digits(match);
                return mod11x10(d, 8) == d[8] ? 1.0 : 0.0;
            }
        };
    }

    /**
     * Tax identification number (Steuer-IdNr.): eleven digits, no leading zero, at most one of the first ten digits
     * repeated and that at most three times, and an ISO 7064 MOD 11,10 check digit; often printed {@code 12 345 678 903}.
     */
    public static PatternRecognizer taxId() {
        return new PatternRecognizer("de-tax-id", "DE_TAX_ID", List.of(
                Rule.of("steuer-idnr", "\\b[1-9][0-9]{10}\\b", 0.1),
                Rule.of("steuer-idnr grouped", "\\b[1-9][0-9] [0-9]{3} [0-9]{3} [0-9]{3}\\b", 0.1)),
                ContextWords.of("steuer id", "steuerid", "steuer idnr", "idnr", "steueridentifikationsnummer", "identifikationsnummer",
                        "steuerliche identifikationsnummer", "tax id", "tin", "finanzamt"),
                Runs.of("0-9 ", 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int[] d = digits(match);
                int[] counts = new int[10];
                for (int i = 0; i < 10; i++) counts[d[i]]++;
                int repeated = 0;
                for (int c : counts) {
                    if (c > 3) return 0.0;
                    if (c > 1) repeated++;
                }
                return repeated <= 1 && mod11x10(d, 10) == d[10] ? 1.0 : 0.0;
            }
        };
    }

    /**
     * Tax number (Steuernummer) as the Länder print it ({@code 181/815/08155}, {@code 93815/08152}, {@code 013 815 08153})
     * or in the 13-digit federal form. No check digit is public for every Land, so they stay weak without a context word.
     * A 13-digit form must start with a Land prefix: an ELSTER one with 0 in the fifth place ({@code 28}, {@code 9},
     * {@code 5}, …) or the Land numbers 01–16 that Presidio's cases use.
     */
    public static PatternRecognizer taxNumber() {
        return new PatternRecognizer("de-tax-number", "DE_TAX_NUMBER", List.of(
                Rule.of("steuernummer slashed", "\\b[0-9]{2,3}/[0-9]{3,4}/[0-9]{4,5}\\b", 0.3),
                Rule.of("steuernummer baden-wuerttemberg", "\\b[0-9]{5}/[0-9]{5}\\b", 0.3),
                Rule.of("steuernummer hessen", "\\b0[0-9]{2} [0-9]{3} [0-9]{5}\\b", 0.2),
                Rule.of("steuernummer federal", "\\b[0-9]{13}\\b", 0.1)),
                ContextWords.of("steuernummer", "st nr", "stnr", "steuer nr", "finanzamt", "tax number").withNegative(NOT_ORDERS),
                Runs.of("0-9/ ", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return !rule.name().equals("steuernummer federal") || federalTaxNumberPrefix(match) ? rule.score() : 0.0;
            }
        };
    }

    private static boolean federalTaxNumberPrefix(String d) {
        int two = Integer.parseInt(d.substring(0, 2));
        if (two >= 1 && two <= 16) return true;
        boolean elster = d.charAt(0) == '5' || d.charAt(0) == '9' || ELSTER_PREFIXES.contains(two);
        return elster && d.charAt(4) == '0';
    }

    /**
     * Pension insurance number (Rentenversicherungsnummer, on the social security card): area code, birth date
     * {@code DDMMYY} (day plus 50 when a date's serial numbers ran out), the birth name's initial, a serial number
     * and a check digit over all of them with the letter as its two-digit position in the alphabet.
     */
    public static PatternRecognizer socialSecurityNumber() {
        return new PatternRecognizer("de-social-security", "DE_SOCIAL_SECURITY", List.of(
                Rule.ofIgnoreCase("rvnr", "\\b[0-9]{2} ?[0-9]{6} ?[A-Z] ?[0-9]{3}\\b", 0.3)),
                ContextWords.of("rentenversicherungsnummer", "rvnr", "sozialversicherungsnummer", "svnr", "versicherungsnummer",
                        "sozialversicherungsausweis", "rentenversicherung", "social security"),
                new Runs("0-9A-Za-z ", 11, 12)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String s = match.replace(" ", "").toUpperCase(Locale.ROOT);
                int day = Integer.parseInt(s.substring(2, 4));
                int month = Integer.parseInt(s.substring(4, 6));
                if (month < 1 || month > 12 || !(day >= 1 && day <= 31 || day >= 51 && day <= 81)) return 0.0;
                int letter = s.charAt(8) - 'A' + 1;
                int[] d = digits(s.substring(0, 8) + (letter / 10) + (letter % 10) + s.substring(9));
                int[] weights = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
                int sum = 0;
                for (int i = 0; i < weights.length; i++) sum += crossSum(d[i] * weights[i]);
                return sum % 10 == d[12] ? 1.0 : 0.0;
            }
        };
    }

    /**
     * Health insurance number (Krankenversichertennummer, on the eGK): a letter and nine digits, the last a check digit
     * over the letter's two-digit position and the eight digits, weights 1 and 2 alternating, products' cross sums.
     */
    public static PatternRecognizer healthInsuranceNumber() {
        return new PatternRecognizer("de-health-insurance", "DE_HEALTH_INSURANCE", List.of(
                Rule.ofIgnoreCase("kvnr", "\\b[A-Z][0-9]{9}\\b", 0.5)),
                ContextWords.of("krankenversichertennummer", "versichertennummer", "kvnr", "krankenkasse", "krankenversicherung",
                        "egk", "gesundheitskarte", "versicherten nr", "health insurance"),
                new Runs("0-9A-Za-z", 9, 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int letter = Character.toUpperCase(match.charAt(0)) - 'A' + 1;
                int[] d = digits((letter / 10) + "" + (letter % 10) + match.substring(1));
                int sum = 0;
                for (int i = 0; i < 10; i++) sum += crossSum(d[i] * (i % 2 == 0 ? 1 : 2));
                return sum % 10 == d[10] ? rule.score() : 0.0;
            }
        };
    }

    /**
     * Passport number (Reisepassnummer): nine characters from the ICAO set without vowels and look-alikes, the last an
     * ICAO 9303 check digit (weights 7, 3, 1). Passports start with C, F, G, H, J or K; other valid numbers score lower.
     */
    public static PatternRecognizer passport() {
        return documentNumber("de-passport", "DE_PASSPORT", "CFGHJK", ContextWords.of("reisepass", "reisepassnummer",
                "passnummer", "pass nr", "passport", "passport number", "dokumentennummer", "mrz"));
    }

    /**
     * ID card number (Personalausweisnummer): the passport's shape and check digit; ID cards start with L, M, N, P, R,
     * T, V, W, X or Y, and other valid numbers score lower.
     */
    public static PatternRecognizer idCard() {
        return documentNumber("de-id-card", "DE_ID_CARD", "LMNPRTVWXY", ContextWords.of("personalausweis",
                "personalausweisnummer", "ausweis", "ausweisnummer", "ausweis nr", "id card", "identity card", "dokumentennummer"));
    }

    private static PatternRecognizer documentNumber(String name, String type, String firstLetters, ContextWords context) {
        String set = "[" + ICAO_LETTERS + "0-9]";
        return new PatternRecognizer(name, type, List.of(
                Rule.ofIgnoreCase("document number", "\\b[" + ICAO_LETTERS + "]" + set + "{7}[0-9]\\b", 0.4)),
                context, new Runs("0-9A-Za-z", 1, 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String s = match.toUpperCase(Locale.ROOT);
                int[] weights = {7, 3, 1};
                int sum = 0;
                for (int i = 0; i < 8; i++) {
                    char c = s.charAt(i);
                    sum += (c <= '9' ? c - '0' : c - 'A' + 10) * weights[i % 3];
                }
                if (sum % 10 != s.charAt(8) - '0') return 0.0;
                return firstLetters.indexOf(s.charAt(0)) >= 0 ? rule.score() : rule.score() / 2;
            }
        };
    }

    /**
     * Driving licence number (Führerscheinnummer): two letters, eight digits and a letter or digit, as in Presidio's
     * cases, or any eleven letters and digits right after the word Führerschein or Fahrerlaubnis. No check is public.
     */
    public static PatternRecognizer driverLicense() {
        return new PatternRecognizer("de-driver-license", "DE_FUEHRERSCHEIN", List.of(
                Rule.ofIgnoreCase("fuehrerschein", "\\b[A-Z]{2}[0-9]{8}[A-Z0-9]\\b", 0.3),
                // the key word sits in a look-behind, so the match is the number alone and lies in a run of letters and digits
                Rule.ofIgnoreCase("fuehrerschein after key word",
                        "(?<=(?:hrerschein|fahrerlaubnis)(?:nummer|-?nr\\.?)?[\\s:.#-]{0,4})\\b[A-Z0-9]{11}\\b", 0.4)),
                ContextWords.of("führerschein", "führerscheinnummer", "fuehrerschein", "fahrerlaubnis", "driving licence",
                        "driving license", "driver license", "drivers license", "driver s license"),
                new Runs("0-9A-Za-z", 1, 11)) {
            @Override
            protected double rescore(String match, Rule rule) {
                boolean letter = false;
                boolean digit = false;
                for (int i = 0; i < match.length(); i++) {
                    if (Character.isDigit(match.charAt(i))) digit = true;
                    else letter = true;
                }
                return letter && digit ? rule.score() : 0.0;
            }
        };
    }

    /**
     * Lifelong physician number (LANR): six digits, a check digit (weights 4 and 9, complement to ten) and a two-digit
     * specialty. One nine-digit number in ten passes, so a valid LANR needs a context word to reach 0.5.
     */
    public static PatternRecognizer lanr() {
        return new PatternRecognizer("de-lanr", "DE_LANR", List.of(
                Rule.of("lanr", "\\b[0-9]{9}\\b", 0.3)),
                ContextWords.of("lanr", "arztnummer", "lebenslange arztnummer", "arzt", "ärztin", "vertragsarzt").withNegative(NOT_ORDERS),
                Runs.of("0-9", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int[] d = digits(match);
                int sum = 0;
                for (int i = 0; i < 6; i++) sum += d[i] * (i % 2 == 0 ? 4 : 9);
                return (10 - sum % 10) % 10 == d[6] ? rule.score() : 0.0;
            }
        };
    }

    /**
     * Practice number (Betriebsstättennummer, BSNR): nine digits with no public check, the same shape as a LANR or any
     * order number, so it is reported only after its key word ({@code BSNR}, {@code Betriebsstättennummer}, …).
     */
    public static PatternRecognizer bsnr() {
        return new PatternRecognizer("de-bsnr", "DE_BSNR", List.of(
                new Rule("bsnr after key word", Pattern.compile(
                        "(?<=\\b(?:bsnr|betriebsst(?:ä|ae)tten(?:nummer|-nummer|-?nr\\.?)|betriebsst(?:ä|ae)tte|praxisnummer)"
                                + "[^0-9\\n]{0,30})\\b[0-9]{9}\\b",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), 0.5, 0)),
                ContextWords.of("bsnr", "betriebsstättennummer", "betriebsstätte", "praxisnummer"),
                Runs.of("0-9", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return match.equals("000000000") ? 0.0 : rule.score();
            }
        };
    }

    /** Postcode (PLZ): five digits from 01001 to 99998, not part of a decimal number; weak without a context word. */
    public static PatternRecognizer postalCode() {
        return new PatternRecognizer("de-plz", "DE_PLZ", List.of(
                Rule.of("plz", "(?<![0-9][.,])\\b[0-9]{5}\\b(?![.,][0-9])", 0.2)),
                ContextWords.of("plz", "postleitzahl", "postal code", "postcode", "zip", "zip code").withNegative(NOT_ORDERS),
                Runs.of("0-9", 5)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int v = Integer.parseInt(match);
                return v >= 1001 && v <= 99998 ? rule.score() : 0.0;
            }
        };
    }

    /**
     * Licence plate (Kfz-Kennzeichen): a district code of one to three letters, one or two letters, a number of one to
     * four digits without a leading zero and an optional E (electric) or H (historic), separated by spaces or hyphens.
     * Plates are printed in capitals; lower-case text such as "met at 1200" has the same shape and scores far lower.
     */
    public static PatternRecognizer licensePlate() {
        String plate = "(?<![\\p{L}\\p{N}])[A-ZÄÖÜ]{1,3}[ -][A-Z]{1,2}[ -][1-9][0-9]{0,3}[EH]?(?![\\p{L}\\p{N}])";
        return new PatternRecognizer("de-kfz", "DE_KFZ", List.of(
                new Rule("kennzeichen", Pattern.compile(plate, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), 0.3, 0)),
                ContextWords.of("kennzeichen", "kfz", "kfz kennzeichen", "nummernschild", "autokennzeichen", "fahrzeug",
                        "license plate", "licence plate", "number plate")) {
            @Override
            protected double rescore(String match, Rule rule) {
                return match.equals(match.toUpperCase(Locale.ROOT)) ? rule.score() : 0.05;
            }
        };
    }

    /** Commercial register number (Handelsregisternummer): HRA or HRB and up to six digits. */
    public static PatternRecognizer commercialRegister() {
        return new PatternRecognizer("de-handelsregister", "DE_HANDELSREGISTER", List.of(
                Rule.ofIgnoreCase("handelsregister", "\\bHR[AB] ?[0-9]{1,6}\\b", 0.4)),
                ContextWords.of("handelsregister", "handelsregisternummer", "amtsgericht", "registergericht", "registernummer",
                        "eingetragen"),
                new Runs("0-9A-Za-z ", 1, 4));
    }

    /** ISO 7064 MOD 11,10 check digit over the first {@code n} digits. */
    private static int mod11x10(int[] d, int n) {
        int product = 10;
        for (int i = 0; i < n; i++) {
            int sum = (d[i] + product) % 10;
            product = (sum == 0 ? 10 : sum) * 2 % 11;
        }
        return (11 - product) % 10;
    }

    private static int crossSum(int n) {
        return n / 10 + n % 10;
    }

    private static int[] digits(String s) {
        return Checksums.digitsOnly(s).chars().map(c -> c - '0').toArray();
    }
}
