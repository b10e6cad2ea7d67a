package io.keel.guard.pii;

import java.util.List;

/**
 * Payment card numbers: 12–19 digits, ungrouped or grouped by single spaces or dashes, proven by Luhn.
 *
 * <p>Luhn is the gate (a Luhn-invalid number is not a card and is dropped); the issuer is a boost, not a gate: a
 * Luhn-valid number whose prefix and length a scheme issues ({@link #issuer}) scores {@value #ISSUED}, one no known
 * scheme issues scores {@value #LUHN_ONLY}, below the default threshold, and is reported only next to a context word
 * ("card", "visa", ...). So a 19-digit Visa, a 12-digit Maestro or a 15-digit JCB number is found on its own, and a
 * Luhn-valid order number is not.
 */
public final class CreditCardRecognizer extends PatternRecognizer {
    static final double ISSUED = 1.0;
    static final double LUHN_ONLY = 0.3;
    /** Presidio's shape: an issuer-looking first group, then groups of 3–5 digits. */
    private static final String GROUPED =
            "\\b(?!1\\d{12}(?!\\d))((4\\d{3})|(5[0-5]\\d{2})|(6\\d{3})|(1\\d{3})|(3\\d{3}))[- ]?(\\d{3,4})[- ]?(\\d{3,4})[- ]?(\\d{3,5})\\b";
    /** Any 12–19 digits, bare or in groups of four with one separator throughout (the last group 1–4 digits). */
    private static final String ANY_LENGTH = "(?<![\\d-])(?!1\\d{12}(?!\\d))(?:\\d{12,19}|\\d{4}([- ])\\d{4}\\1\\d{4}(?:\\1\\d{1,4}){0,2}|\\d{4}([- ])\\d{6}\\2\\d{4,5})(?![\\d-])";

    public CreditCardRecognizer() {
        super("credit-card", "CREDIT_CARD", List.of(Rule.of("card (luhn)", GROUPED, 0.3), Rule.of("card (luhn, 12-19 digits)", ANY_LENGTH, 0.3)),
                ContextWords.of("credit", "card", "visa", "mastercard", "amex", "cc", "debit", "payment", "credit card"),
                new Runs("0-9 -", 12, 12));
    }

    @Override
    protected double rescore(String match, Rule rule) {
        String digits = Checksums.digitsOnly(match);
        if (digits.length() < 12 || digits.length() > 19 || !Checksums.luhn(digits)) return 0.0;
        return issuer(digits) != null ? ISSUED : LUHN_ONLY;
    }

    /** The card scheme a number's prefix and length belong to, or null when no known scheme issues such numbers. */
    public static String issuer(String digits) {
        int len = digits.length();
        if (len < 12 || len > 19) return null;
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p6 = Integer.parseInt(digits.substring(0, 6));
        if (digits.charAt(0) == '4' && len >= 13) return "visa";
        if (p2 >= 51 && p2 <= 55 && len == 16) return "mastercard";
        if (p6 >= 222100 && p6 <= 272099 && len == 16) return "mastercard";
        if ((p2 == 34 || p2 == 37) && len == 15) return "amex";
        if ((p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) && len >= 16) return "discover";
        if (p4 >= 3528 && p4 <= 3589 && len >= 16) return "jcb";
        if ((p4 == 2131 || p4 == 1800) && len == 15) return "jcb";
        if (((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) && len >= 14) return "diners";
        if (p4 >= 2200 && p4 <= 2204 && len >= 16) return "mir";
        if (digits.charAt(0) == '1' && len == 15) return "uatp";
        if ((p2 == 50 || (p2 >= 56 && p2 <= 69)) && len >= 12) return "maestro";
        if (p2 == 62 && len >= 16) return "unionpay";
        if ((p2 == 60 || p2 == 81 || p2 == 82 || p3 == 508) && len == 16) return "rupay";
        if (p4 == 9792 && len == 16) return "troy";
        return null;
    }
}
