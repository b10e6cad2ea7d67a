package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International bank account numbers: a country code, two check digits and the account part, written whole or in
 * groups of four separated by a space or dash. A candidate must have exactly its country's registered length and
 * pass ISO 7064 mod 97-10; it then scores 1.0.
 */
public final class IbanRecognizer extends SingleTypeRecognizer {
    /** Registered IBAN lengths per country (SWIFT IBAN registry). */
    static final Map<String, Integer> LENGTHS = Map.<String, Integer>ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
            Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BI", 27),
            Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28),
            Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
            Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FK", 18),
            Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23),
            Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28),
            Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26), Map.entry("IT", 27),
            Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28), Map.entry("LC", 32),
            Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("LY", 25),
            Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20),
            Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28), Map.entry("NL", 18),
            Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29),
            Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("RU", 33),
            Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19),
            Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25), Map.entry("SV", 28),
            Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
            Map.entry("VG", 24), Map.entry("XK", 20), Map.entry("YE", 30));

    private static final Pattern START = Pattern.compile("\\b([A-Z]{2})(\\d{2})");

    public IbanRecognizer() {
        super("iban", "IBAN_CODE", CONTEXT);
    }

    private static final ContextWords CONTEXT = ContextWords.of("iban", "bank", "account", "transaction", "transfer", "sepa");

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> out = new ArrayList<>();
        Matcher m = START.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int from = 0;
        while (from < text.length()) {
            // the next place START can match: two capitals and two digits, found by hand and then confirmed by START
            // itself (for its word boundary), where a regex find would try every position of the text
            int p = nextStart(text, from);
            if (p < 0) break;
            if (!m.region(p, text.length()).lookingAt()) {
                from = p + 1;
                continue;
            }
            Integer length = LENGTHS.get(m.group(1));
            int end = length == null ? -1 : scan(text, m.start(), length);
            if (end > 0 && Checksums.ibanMod97(compact(text.substring(m.start(), end)))) {
                out.add(new Finding("IBAN_CODE", m.start(), end, 1.0, name()));
                from = end;
            } else {
                from = m.start() + 1;
            }
        }
        return out;
    }

    /** The first index at or after {@code from} where {@code [A-Z]{2}\d{2}} starts, or -1. */
    private static int nextStart(String text, int from) {
        for (int d = TextScan.nextDigit(text, from + 2); d >= 0; d = TextScan.nextDigit(text, d + 1)) {
            // d is the first check digit: two capitals before it, a digit after it
            if (d + 1 < text.length() && TextScan.isAsciiDigit(text.charAt(d + 1)) && isUpper(text.charAt(d - 1)) && isUpper(text.charAt(d - 2))) {
                return d - 2;
            }
        }
        return -1;
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * End offset of an IBAN of {@code length} characters starting at {@code start}, written either compact or in
     * groups of four with one consistent separator; -1 when the text there is not shaped like one.
     */
    private static int scan(String text, int start, int length) {
        int n = text.length();
        // compact form
        int i = start;
        int count = 0;
        while (i < n && count < length && isAlnum(text.charAt(i))) {
            i++;
            count++;
        }
        if (count == length && (i == n || !isAlnum(text.charAt(i)))) return i;
        // grouped form: blocks of 4 separated by a single space or dash, the last block 1-4 characters
        i = start;
        count = 0;
        char sep = 0;
        while (count < length) {
            int block = 0;
            while (i < n && block < 4 && isAlnum(text.charAt(i))) {
                i++;
                block++;
                count++;
            }
            if (count == length) break;
            if (block != 4 || i >= n) return -1;
            char c = text.charAt(i);
            if (c != ' ' && c != '-') return -1;
            if (sep == 0) sep = c;
            else if (c != sep) return -1;
            i++;
        }
        return i == n || !isAlnum(text.charAt(i)) ? i : -1;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String compact(String s) {
        return s.replace(" ", "").replace("-", "");
    }
}
