package io.keel.guard.pii;

import java.util.List;

/**
 * Calendar dates and ISO 8601 timestamps in common numeric and month-name layouts. Full dates score 0.6, month/year
 * 0.2 and month/day 0.1; words like "born" or "dob" nearby lift a date to a likely date of birth.
 */
public final class DateTimeRecognizer extends PatternRecognizer {
    private static final String D = "([1-9]|0[1-9]|[1-2][0-9]|3[0-1])";
    private static final String M = "([1-9]|0[1-9]|1[0-2])";
    private static final String MON = "(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)";

    public DateTimeRecognizer() {
        super("date-time", "DATE_TIME", List.of(
                        Rule.of("iso 8601 timestamp",
                                "(?<![\\w])\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):?[0-5]\\d)?(?![\\w])", 0.6),
                        Rule.of("mm/dd/yyyy", "\\b(" + M + "/" + D + "/(\\d{4}|\\d{2}))\\b", 0.6),
                        Rule.of("dd/mm/yyyy", "\\b(" + D + "/" + M + "/(\\d{4}|\\d{2}))\\b", 0.6),
                        Rule.of("yyyy/mm/dd", "\\b(\\d{4}/" + M + "/" + D + ")\\b", 0.6),
                        Rule.of("mm-dd-yyyy", "\\b(" + M + "-" + D + "-\\d{4})\\b", 0.6),
                        Rule.of("dd-mm-yyyy", "\\b(" + D + "-" + M + "-\\d{4})\\b", 0.6),
                        Rule.of("yyyy-mm-dd", "\\b(\\d{4}-" + M + "-" + D + ")\\b", 0.6),
                        Rule.of("dd.mm.yyyy", "\\b(" + D + "\\." + M + "\\.(\\d{4}|\\d{2}))\\b", 0.6),
                        Rule.ofIgnoreCase("dd-MMM-yyyy", "\\b(" + D + "-" + MON + "-(\\d{4}|\\d{2}))\\b", 0.6),
                        Rule.ofIgnoreCase("MMM-yyyy", "\\b(" + MON + "-(\\d{4}|\\d{2}))\\b", 0.6),
                        Rule.ofIgnoreCase("dd-MMM", "\\b(" + D + "-" + MON + ")\\b", 0.6),
                        Rule.of("mm/yyyy", "\\b(" + M + "/\\d{4})\\b", 0.2),
                        Rule.of("mm/dd", "\\b(" + M + "/" + D + ")\\b", 0.1)),
                ContextWords.of("date", "birthday", "birth", "born", "dob", "d.o.b", "birthdate", "date of birth"),
                Runs.of("0-9A-Za-z:.+/-", 1));
    }

    @Override
    protected boolean worthScanning(CharSequence candidate) {
        boolean digit = false;
        boolean separator = false;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            digit |= c >= '0' && c <= '9';
            separator |= c == '-' || c == '/' || c == '.';
        }
        return digit && separator;
    }
}
