package io.keel.guard.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telephone numbers found by Google's libphonenumber, trying each configured region for numbers written without an
 * international prefix.
 *
 * <p>Scores: a valid number written with its country code ({@code +44 20 7946 0958}) scores {@value #INTERNATIONAL};
 * one written as its region writes national numbers, with the same digit groups as libphonenumber's national format
 * ({@code (650) 253-0000}, {@code 020 7946 0958}), scores {@value #NATIONAL}; both are above the default threshold
 * on their own. Any other valid digit run ({@code 6502530000}) scores {@value #SCORE} and is reported only next to a
 * context word ("call", "phone", ...): the grouping is the boost, not a gate.
 *
 * <p>{@code leniency} follows libphonenumber: 0 possible, 1 valid (default), 2 strict grouping, 3 exact grouping.
 */
public final class PhoneRecognizer extends SingleTypeRecognizer {
    /** Regions tried for numbers without a country code. Canada shares +1 with the US, so "US" covers it. */
    public static final List<String> DEFAULT_REGIONS = List.of("US", "GB", "DE", "FR", "AU", "IN", "BR", "IL", "CN", "JP");
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}");
    private static final Pattern CARD_SHAPE = Pattern.compile("\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{1,7}|\\d{13,19}");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    static final double SCORE = 0.4;
    static final double NATIONAL = 0.6;
    static final double INTERNATIONAL = 0.7;

    private final List<String> regions;
    private final PhoneNumberUtil.Leniency leniency;

    public PhoneRecognizer() {
        this(DEFAULT_REGIONS, 1);
    }

    public PhoneRecognizer(List<String> regions, int leniency) {
        super("phone", "PHONE_NUMBER", CONTEXT);
        this.regions = List.copyOf(regions);
        this.leniency = switch (leniency) {
            case 0 -> PhoneNumberUtil.Leniency.POSSIBLE;
            case 1 -> PhoneNumberUtil.Leniency.VALID;
            case 2 -> PhoneNumberUtil.Leniency.STRICT_GROUPING;
            case 3 -> PhoneNumberUtil.Leniency.EXACT_GROUPING;
            default -> throw new IllegalArgumentException("leniency must be 0..3: " + leniency);
        };
    }

    private static final ContextWords CONTEXT = ContextWords.of("phone", "number", "telephone", "tel", "cell", "cellphone", "mobile", "call", "fax", "whatsapp");

    /**
     * Runs of digits and phone punctuation holding at least seven digits: the only places a number can be. Only these
     * windows (with a few characters of margin, so libphonenumber still sees what touches the number) are handed to
     * libphonenumber, once per region; scanning the whole text per region is what made this the slowest recognizer.
     */
    private static final Pattern CANDIDATE = Pattern.compile("[+(\\uFF0B]?\\d[\\d()\\-./ \\u00A0\\u2010-\\u2015]{5,60}\\d");
    private static final int MIN_DIGITS = 7;
    private static final int MARGIN = 8;

    @Override
    public List<Finding> recognize(String text) {
        // every candidate holds MIN_DIGITS ASCII digits: prose with fewer never reaches the candidate pattern
        if (!TextScan.hasDigits(text, MIN_DIGITS)) return new ArrayList<>();
        Map<Long, Finding> bySpan = new LinkedHashMap<>();
        Matcher m = CANDIDATE.matcher(text);
        int windowStart = -1;
        int windowEnd = -1;
        int pos = 0;
        while (true) {
            // a candidate starts at a digit or at the prefix sign right before one: start the search there, not at
            // every character of the text (same matches as consecutive find() calls, which resume at the last end)
            int d = TextScan.nextDigit(text, pos);
            if (d < 0) break;
            int from = d > pos && "+(\uFF0B".indexOf(text.charAt(d - 1)) >= 0 ? d - 1 : d;
            if (!m.find(from)) break;
            pos = m.end();
            if (digits(m.group()) < MIN_DIGITS || obviouslyNotAPhone(text, m)) continue;
            int s = Math.max(0, m.start() - MARGIN);
            int e = Math.min(text.length(), m.end() + MARGIN);
            if (windowStart >= 0 && s <= windowEnd) {
                windowEnd = Math.max(windowEnd, e);
                continue;
            }
            if (windowStart >= 0) scanWindow(text, windowStart, windowEnd, bySpan);
            windowStart = s;
            windowEnd = e;
        }
        if (windowStart >= 0) scanWindow(text, windowStart, windowEnd, bySpan);
        return Findings.removeContained(new ArrayList<>(bySpan.values()));
    }

    /**
     * Candidates libphonenumber would spend most of its time rejecting: dates, Luhn-valid card numbers and (at leniency
     * VALID or stricter, where libphonenumber itself rejects them) digit runs glued to a preceding letter, as in the
     * body of an IBAN.
     */
    private boolean obviouslyNotAPhone(String text, Matcher m) {
        String c = m.group();
        if (DATE_SHAPE.matcher(c).matches()) return true;
        if (CARD_SHAPE.matcher(c).matches() && Checksums.luhn(Checksums.digitsOnly(c))) return true;
        return leniency != PhoneNumberUtil.Leniency.POSSIBLE && m.start() > 0 && Character.isLetter(text.charAt(m.start() - 1));
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (Character.isDigit(s.charAt(i))) n++;
        return n;
    }

    /** See the class comment: written with a country code, grouped as the region writes it, or neither. */
    static double score(PhoneNumberMatch match) {
        String raw = match.rawString();
        if (raw.startsWith("+") || raw.startsWith("\uFF0B") || raw.startsWith("00")) return INTERNATIONAL;
        List<String> groups = groups(raw);
        if (groups.size() < 2) return SCORE;
        String national = UTIL.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.NATIONAL);
        if (groups.equals(groups(national))) return NATIONAL;
        // the national prefix written apart or left out: "(0)20 7946 0958", "20 7946 0958"
        List<String> formatted = groups(UTIL.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL));
        return formatted.size() > 1 && groups.equals(formatted.subList(1, formatted.size())) ? NATIONAL : SCORE;
    }

    private static List<String> groups(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = DIGIT_GROUP.matcher(s);
        while (m.find()) out.add(m.group());
        return out;
    }

    private static final Pattern DIGIT_GROUP = Pattern.compile("\\d+");

    private void scanWindow(String text, int from, int to, Map<Long, Finding> bySpan) {
        String window = text.substring(from, to);
        // numbers written with a country code parse the same in every region: one pass is enough
        boolean international = window.strip().startsWith("+") && window.indexOf('+', window.indexOf('+') + 1) < 0;
        for (String region : international ? regions.subList(0, 1) : regions) {
            boolean wholeWindowExplained = false;
            for (PhoneNumberMatch match : UTIL.findNumbers(window, region, leniency, Long.MAX_VALUE)) {
                int s = from + match.start();
                int e = from + match.end();
                // a match cut by the window edge may be part of something longer: only whole-window-interior matches count
                if ((match.start() == 0 && from > 0) || (match.end() == window.length() && to < text.length())) continue;
                // the same digits may be valid in several regions: the best-written reading counts
                Finding f = new Finding("PHONE_NUMBER", s, e, score(match), name());
                bySpan.merge(((long) s << 32) | e, f, (a, b) -> a.score() >= b.score() ? a : b);
                // explained only by a well-written reading: "06 12 34 33 74" is valid in Germany too, but written French
                wholeWindowExplained |= f.score() >= NATIONAL && digits(window.substring(0, match.start())) + digits(window.substring(match.end())) == 0;
            }
            if (wholeWindowExplained) break;   // every digit is in a well-written number: other regions add nothing
        }
    }
}
