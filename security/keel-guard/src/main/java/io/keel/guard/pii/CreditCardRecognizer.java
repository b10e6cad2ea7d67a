package io.keel.guard.pii;

import java.util.List;

/**
 * Payment card numbers: 12–19 digits with an issuer prefix, optionally grouped by spaces or dashes, proven by Luhn.
 * A Luhn-invalid number is not a card and is dropped; a valid one scores 1.0.
 */
public final class CreditCardRecognizer extends PatternRecognizer {
    private static final String REGEX =
            "\\b(?!1\\d{12}(?!\\d))((4\\d{3})|(5[0-5]\\d{2})|(6\\d{3})|(1\\d{3})|(3\\d{3}))[- ]?(\\d{3,4})[- ]?(\\d{3,4})[- ]?(\\d{3,5})\\b";

    public CreditCardRecognizer() {
        super("credit-card", "CREDIT_CARD", List.of(Rule.of("card (luhn)", REGEX, 0.3)),
                ContextWords.of("credit", "card", "visa", "mastercard", "amex", "cc", "debit", "payment", "credit card"),
                Runs.of("0-9 -", 13));
    }

    @Override
    protected double rescore(String match, Rule rule) {
        String digits = Checksums.digitsOnly(match);
        return issuer(digits) != null && Checksums.luhn(digits) ? 1.0 : 0.0;
    }

    /** The card scheme a number's prefix and length belong to, or null when no scheme issues such numbers. */
    public static String issuer(String digits) {
        int len = digits.length();
        if (len < 12 || len > 19) return null;
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p6 = Integer.parseInt(digits.substring(0, 6));
        if (digits.charAt(0) == '4' && (len == 13 || len == 16 || len == 19)) return "visa";
        if (p2 >= 51 && p2 <= 55 && len == 16) return "mastercard";
        if (p6 >= 222100 && p6 <= 272099 && len == 16) return "mastercard";
        if ((p2 == 34 || p2 == 37) && len == 15) return "amex";
        if ((p4 == 6011 || p2 == 65 || (p4 / 10 >= 644 && p4 / 10 <= 649)) && len >= 16) return "discover";
        if (p4 >= 3528 && p4 <= 3589 && len >= 16) return "jcb";
        if (((p4 / 10 >= 300 && p4 / 10 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && len >= 14) return "diners";
        if (digits.charAt(0) == '1' && len == 15) return "uatp";
        if ((p2 == 50 || (p2 >= 56 && p2 <= 69)) && len >= 12) return "maestro";
        if (p4 == 6759 || p4 == 6761 || p4 == 6762 || p4 == 6763) return "maestro";
        if (p2 == 62 || p2 == 81) return "unionpay";
        return null;
    }
}
