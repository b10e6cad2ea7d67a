package io.keel.guard.pii;

import java.util.List;

/** The recognizers Keel ships, and the small pattern recognizers that need no class of their own. */
public final class StandardRecognizers {
    private StandardRecognizers() {
    }

    /** Every built-in recognizer with default settings. */
    public static List<PiiRecognizer> all() {
        List<PiiRecognizer> all = new java.util.ArrayList<>(List.of(new EmailRecognizer(), new PhoneRecognizer(),
                new CreditCardRecognizer(), new IbanRecognizer(), new UsSsnRecognizer(), new IpAddressRecognizer(),
                new UrlRecognizer(), new MacAddressRecognizer(), new DateTimeRecognizer(), usPassport(), usDriverLicense(),
                usItin(), usBankNumber(), abaRoutingNumber(), ukNhs(), new SecretsRecognizer(), new CryptoWalletRecognizer()));
        all.addAll(NationalIdRecognizers.all());
        return List.copyOf(all);
    }

    /** US passport book (nine digits, very weak) and next-generation card (letter + eight digits). */
    public static PatternRecognizer usPassport() {
        return new PatternRecognizer("us-passport", "US_PASSPORT", List.of(
                PatternRecognizer.Rule.of("passport (very weak)", "\\b[0-9]{9}\\b", 0.05),
                PatternRecognizer.Rule.of("passport next generation (very weak)", "\\b[A-Z][0-9]{8}\\b", 0.1)),
                ContextWords.of("us", "united", "states", "passport", "passport#", "travel", "document"),
                new PatternRecognizer.Runs("0-9A-Z", 8, 9));
    }

    /** US state driver's licence shapes; bare digit runs are very weak without context. */
    public static PatternRecognizer usDriverLicense() {
        String alnum = "\\b([A-Z][0-9]{3,6}|[A-Z][0-9]{5,9}|[A-Z][0-9]{6,8}|[A-Z][0-9]{4,8}|[A-Z][0-9]{9,11}|[A-Z]{1,2}[0-9]{5,6}"
                + "|H[0-9]{8}|V[0-9]{6}|X[0-9]{8}|[A-Z]{2}[0-9]{2,5}|[A-Z]{2}[0-9]{3,7}|[0-9]{2}[A-Z]{3}[0-9]{5,6}"
                + "|[A-Z][0-9]{13,14}|[A-Z][0-9]{18}|[A-Z][0-9]{6}R|[A-Z][0-9]{9}|[A-Z][0-9]{1,12}|[0-9]{9}[A-Z]"
                + "|[A-Z]{2}[0-9]{6}[A-Z]|[0-9]{8}[A-Z]{2}|[0-9]{3}[A-Z]{2}[0-9]{4}|[A-Z][0-9][A-Z][0-9][A-Z]|[0-9]{7,8}[A-Z])\\b";
        return new PatternRecognizer("us-driver-license", "US_DRIVER_LICENSE", List.of(
                PatternRecognizer.Rule.of("driver license alphanumeric (weak)", alnum, 0.3),
                PatternRecognizer.Rule.of("driver license digits (very weak)", "\\b([0-9]{6,14}|[0-9]{16})\\b", 0.01)),
                ContextWords.of("driver", "license", "permit", "lic", "identification", "dls", "cdls", "lic#", "driving", "driver license"),
                PatternRecognizer.Runs.of("0-9A-Z", 1));
    }

    /** US individual taxpayer identification numbers (9xx with group 50–65, 70–88, 90–92, 94–99). */
    public static PatternRecognizer usItin() {
        String group = "(5\\d|6[0-5]|7\\d|8[0-8]|9[0-2]|9[4-9])";
        return new PatternRecognizer("us-itin", "US_ITIN", List.of(
                PatternRecognizer.Rule.of("itin (very weak)", "\\b9\\d{2}[- ]" + group + "\\d{4}\\b", 0.05),
                PatternRecognizer.Rule.of("itin (very weak)", "\\b9\\d{2}" + group + "[- ]\\d{4}\\b", 0.05),
                PatternRecognizer.Rule.of("itin (weak)", "\\b9\\d{2}" + group + "\\d{4}\\b", 0.3),
                PatternRecognizer.Rule.of("itin (medium)", "\\b9\\d{2}[- ]" + group + "[- ]\\d{4}\\b", 0.5)),
                ContextWords.of("individual", "taxpayer", "itin", "tax", "payer", "taxid", "tin"),
                PatternRecognizer.Runs.of("0-9 -", 9));
    }

    /** US bank account numbers: 8–17 digits, very weak without context. */
    public static PatternRecognizer usBankNumber() {
        return new PatternRecognizer("us-bank-number", "US_BANK_NUMBER", List.of(
                PatternRecognizer.Rule.of("bank account (weak)", "\\b[0-9]{8,17}\\b", 0.05)),
                ContextWords.of("bank", "check", "account", "account#", "acct", "save", "debit"),
                PatternRecognizer.Runs.of("0-9", 8));
    }

    /** ABA routing transit numbers, proven by their 3-7-1 checksum. */
    public static PatternRecognizer abaRoutingNumber() {
        return new PatternRecognizer("aba-routing", "ABA_ROUTING_NUMBER", List.of(
                PatternRecognizer.Rule.of("aba routing (weak)", "\\b[0123678]\\d{8}\\b", 0.05),
                PatternRecognizer.Rule.of("aba routing (weak)", "\\b[0123678]\\d{3}-\\d{4}-\\d\\b", 0.05)),
                ContextWords.of("aba", "routing", "abarouting", "association", "bankrouting"),
                PatternRecognizer.Runs.of("0-9-", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                return d.chars().distinct().count() > 1 && Checksums.abaRouting(d) ? 1.0 : 0.0;
            }
        };
    }

    /** UK NHS numbers (ten digits, mod-11 check digit). */
    public static PatternRecognizer ukNhs() {
        return new PatternRecognizer("uk-nhs", "UK_NHS", List.of(
                PatternRecognizer.Rule.of("nhs (medium)", "\\b([0-9]{3})[- ]?([0-9]{3})[- ]?([0-9]{4})\\b", 0.5)),
                ContextWords.of("national health service", "nhs", "health services authority", "health authority"),
                PatternRecognizer.Runs.of("0-9 -", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return Checksums.nhsMod11(Checksums.digitsOnly(match)) ? 1.0 : 0.0;
            }
        };
    }
}
