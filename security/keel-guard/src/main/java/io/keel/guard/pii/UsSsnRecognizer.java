package io.keel.guard.pii;

import java.util.List;
import java.util.Set;

/**
 * US social security numbers. Dashed, dotted or spaced {@code AAA-GG-SSSS} scores 0.5; bare nine digits and other
 * groupings are very weak (0.05) until context words lift them. Area 000, 666 and 9xx, group 00, serial 0000,
 * mixed separators, repeated digits and numbers published as examples are rejected.
 */
public final class UsSsnRecognizer extends PatternRecognizer {
    private static final Set<String> PUBLISHED_EXAMPLES = Set.of("078051120", "219099999", "457555462", "123456789");

    public UsSsnRecognizer() {
        super("us-ssn", "US_SSN", List.of(
                        Rule.of("ssn 5-4 (very weak)", "\\b([0-9]{5})-([0-9]{4})\\b", 0.05),
                        Rule.of("ssn 3-6 (very weak)", "\\b([0-9]{3})-([0-9]{6})\\b", 0.05),
                        Rule.of("ssn 3-2-4 (very weak)", "\\b(([0-9]{3})-([0-9]{2})-([0-9]{4}))\\b", 0.05),
                        Rule.of("ssn 9 digits (very weak)", "\\b[0-9]{9}\\b", 0.05),
                        Rule.of("ssn grouped (medium)", "\\b([0-9]{3})[- .]([0-9]{2})[- .]([0-9]{4})\\b", 0.5)),
                ContextWords.of("social", "security", "ssn", "ssns", "ssn#", "ss#", "ssid", "social security"),
                Runs.of("0-9 .-", 9));
    }

    @Override
    protected double rescore(String match, Rule rule) {
        return valid(match) ? rule.score() : 0.0;
    }

    static boolean valid(String match) {
        long separators = match.chars().filter(c -> c == '-' || c == '.' || c == ' ').distinct().count();
        if (separators > 1) return false;
        String d = Checksums.digitsOnly(match);
        if (d.length() != 9) return false;
        if (d.chars().distinct().count() == 1) return false;
        if (PUBLISHED_EXAMPLES.contains(d)) return false;
        String area = d.substring(0, 3);
        if (area.equals("000") || area.equals("666") || area.charAt(0) == '9') return false;
        return !d.startsWith("00", 3) && !d.endsWith("0000");
    }
}
