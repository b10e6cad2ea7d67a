package io.keel.guard.eval;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.keel.core.guard.Finding;
import io.keel.guard.pii.Checksums;
import io.keel.guard.pii.PhoneRecognizer;
import io.keel.guard.pii.PiiScanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A reproducible synthetic PII set, generated in code from a fixed seed: phone numbers of each default region
 * (libphonenumber's example fixed-line and mobile numbers with random last digits, kept when valid) in national and
 * international format, card numbers of every issuer range and length (random digits, Luhn check digit), bare and
 * grouped, each in a sentence without a context word; and as many decoy sentences with digits that are not PII
 * (order numbers, Luhn-invalid 16-digit runs, amounts, dates, postcodes). Recall counts exact spans; precision counts
 * every finding of the type in all sentences.
 */
public final class SyntheticPii {
    public static final long SEED = 20261206L;
    /** Per region, type and format. */
    public static final int PHONES_PER_CELL = 8;
    public static final int CARDS_PER_RANGE = 6;

    /** One sentence and the span of the value planted in it (start -1 for a decoy). */
    public record Case(String type, String text, int start, int end, String label) {
    }

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String[] PHONE_TEMPLATES = {"Reach our office on %s before noon.", "ring me on %s", "%s is the front desk.",
            "Details: %s, ask for Maria.", "You can get me at %s tomorrow."};
    private static final String[] CARD_TEMPLATES = {"I paid with %s yesterday.", "number on file: %s", "%s was charged twice.",
            "Use %s for the booking."};
    /** Issuer ranges: a prefix and the lengths the scheme issues. */
    private record Range(String issuer, String prefix, int[] lengths) {
    }

    private static final List<Range> RANGES = List.of(
            new Range("visa", "4", new int[]{13, 16, 19}), new Range("mastercard", "51", new int[]{16}),
            new Range("mastercard", "2221", new int[]{16}), new Range("amex", "34", new int[]{15}), new Range("amex", "37", new int[]{15}),
            new Range("discover", "6011", new int[]{16, 19}), new Range("discover", "65", new int[]{16}),
            new Range("jcb", "3528", new int[]{16, 19}), new Range("jcb", "2131", new int[]{15}), new Range("jcb", "1800", new int[]{15}),
            new Range("diners", "36", new int[]{14}), new Range("diners", "300", new int[]{14, 16}),
            new Range("maestro", "5018", new int[]{12, 13, 16, 19}), new Range("maestro", "6759", new int[]{16}),
            new Range("unionpay", "62", new int[]{16, 19}), new Range("mir", "2200", new int[]{16}));

    private SyntheticPii() {
    }

    public static List<Case> generate() {
        Random rnd = new Random(SEED);
        List<Case> out = new ArrayList<>();
        for (String region : List.of("US", "CA", "GB", "DE", "FR", "IN", "BR", "AU")) {
            for (PhoneNumberUtil.PhoneNumberType type : List.of(PhoneNumberUtil.PhoneNumberType.FIXED_LINE, PhoneNumberUtil.PhoneNumberType.MOBILE)) {
                PhoneNumber example = UTIL.getExampleNumberForType(region, type);
                if (example == null) continue;
                for (PhoneNumberUtil.PhoneNumberFormat format : List.of(PhoneNumberUtil.PhoneNumberFormat.NATIONAL, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL)) {
                    int made = 0;
                    for (int attempt = 0; made < PHONES_PER_CELL && attempt < 200; attempt++) {
                        PhoneNumber n = vary(example, rnd, region);
                        if (n == null) continue;
                        String written = UTIL.format(n, format);
                        out.add(planted("PHONE_NUMBER", PHONE_TEMPLATES[rnd.nextInt(PHONE_TEMPLATES.length)], written,
                                region + " " + type.name().toLowerCase() + " " + format.name().toLowerCase()));
                        made++;
                    }
                }
            }
        }
        for (Range r : RANGES) {
            for (int len : r.lengths()) {
                for (int i = 0; i < CARDS_PER_RANGE; i++) {
                    String digits = card(r.prefix(), len, rnd);
                    String written = i % 3 == 0 ? digits : group(digits, i % 3 == 1 ? ' ' : '-');
                    out.add(planted("CREDIT_CARD", CARD_TEMPLATES[rnd.nextInt(CARD_TEMPLATES.length)], written, r.issuer() + " " + len));
                }
            }
        }
        int planted = out.size();
        for (int i = 0; i < planted; i++) out.add(new Case(null, decoy(rnd), -1, -1, "decoy"));
        return out;
    }

    private static Case planted(String type, String template, String value, String label) {
        String text = template.formatted(value);
        int start = text.indexOf(value);
        return new Case(type, text, start, start + value.length(), label);
    }

    /** The example number with its last four digits replaced, when still valid for the region. */
    private static PhoneNumber vary(PhoneNumber example, Random rnd, String region) {
        String national = String.valueOf(example.getNationalNumber());
        String changed = national.substring(0, national.length() - 4) + String.format("%04d", rnd.nextInt(10000));
        try {
            PhoneNumber n = UTIL.parse("+" + example.getCountryCode() + changed, region);
            return UTIL.isValidNumberForRegion(n, region) ? n : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    static String card(String prefix, int length, Random rnd) {
        StringBuilder sb = new StringBuilder(prefix);
        while (sb.length() < length - 1) sb.append(rnd.nextInt(10));
        for (int check = 0; check < 10; check++) {
            if (Checksums.luhn(sb.toString() + check)) return sb.append(check).toString();
        }
        throw new IllegalStateException("no Luhn check digit for " + sb);
    }

    private static String group(String digits, char sep) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && i % 4 == 0) sb.append(sep);
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    private static String decoy(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> "Order %d shipped on 2024-%02d-%02d.".formatted(100000 + rnd.nextInt(900000), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            case 1 -> {
                String d = card("4", 16, rnd);
                yield "Reference %s%d is closed.".formatted(d.substring(0, 15), (d.charAt(15) - '0' + 1) % 10);
            }
            case 2 -> "The invoice totals %d,%03d.%02d EUR.".formatted(1 + rnd.nextInt(900), rnd.nextInt(1000), rnd.nextInt(100));
            case 3 -> "Population grew from %d to %d between 1990 and 2020.".formatted(100000 + rnd.nextInt(900000), 100000 + rnd.nextInt(900000));
            case 4 -> "Send it to 10115 Berlin, ticket %d.".formatted(1000 + rnd.nextInt(9000));
            default -> "Version %d.%d.%d was released in %d.".formatted(rnd.nextInt(10), rnd.nextInt(30), rnd.nextInt(100), 2000 + rnd.nextInt(25));
        };
    }

    /** Recall and precision per planted type, with the scanner's full decision (thresholds, context). */
    public record Row(String type, int planted, int found, int findings, int correct) {
        public double recall() {
            return planted == 0 ? 0 : (double) found / planted;
        }

        public double precision() {
            return findings == 0 ? 1 : (double) correct / findings;
        }
    }

    public static List<Row> evaluate(PiiScanner scanner, List<Case> cases) {
        List<Row> rows = new ArrayList<>();
        for (String type : List.of("PHONE_NUMBER", "CREDIT_CARD")) {
            int planted = 0, found = 0, findings = 0, correct = 0;
            for (Case c : cases) {
                List<Finding> fs = scanner.scan(c.text()).stream().filter(f -> f.type().equals(type)).toList();
                findings += fs.size();
                boolean mine = type.equals(c.type());
                if (mine) planted++;
                for (Finding f : fs) {
                    if (mine && f.start() == c.start() && f.end() == c.end()) {
                        correct++;
                        found++;
                    }
                }
            }
            rows.add(new Row(type, planted, found, findings, correct));
        }
        return rows;
    }

    /** The regions the phone cases come from, as {@link PhoneRecognizer} is configured by default. */
    public static List<String> regions() {
        return PhoneRecognizer.DEFAULT_REGIONS;
    }
}
