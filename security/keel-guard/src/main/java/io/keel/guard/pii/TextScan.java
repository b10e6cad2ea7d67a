package io.keel.guard.pii;

/**
 * Regex-free scans the recognizers use as exact pre-filters: each answers a question every match of a recognizer's
 * patterns implies (the text holds enough ASCII digits, a run of the characters a match is made of), so skipping the
 * patterns when the answer is no cannot lose a finding. Java's {@code \d}, {@code \w}, {@code \b} and
 * {@code \p{Alnum}} are ASCII-only without {@code UNICODE_CHARACTER_CLASS}, which no recognizer sets.
 */
final class TextScan {
    private TextScan() {
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code text} holds at least {@code min} ASCII digits ({@code [0-9]}, what {@code \d} matches). */
    static boolean hasDigits(String text, int min) {
        if (min <= 0) return true;
        int n = 0;
        for (int i = 0, len = text.length(); i < len; i++) {
            if (isAsciiDigit(text.charAt(i)) && ++n >= min) return true;
        }
        return false;
    }

    /** Index of the first ASCII digit at or after {@code from}, or -1. */
    static int nextDigit(String text, int from) {
        for (int i = from, len = text.length(); i < len; i++) if (isAsciiDigit(text.charAt(i))) return i;
        return -1;
    }

    /**
     * Index of the first occurrence at or after {@code from} of any of {@code lowerWords} (ASCII lower-case), ignoring
     * ASCII case only, as a {@code (?i)} pattern without {@code UNICODE_CASE} does; -1 when there is none.
     */
    static int nextWordIgnoreAsciiCase(String text, int from, String[] lowerWords) {
        for (int i = Math.max(0, from), n = text.length(); i < n; i++) {
            char c = lowerAscii(text.charAt(i));
            for (String w : lowerWords) {
                if (w.charAt(0) == c && regionMatchesIgnoreAsciiCase(text, i, w)) return i;
            }
        }
        return -1;
    }

    private static boolean regionMatchesIgnoreAsciiCase(String text, int at, String lowerWord) {
        if (at + lowerWord.length() > text.length()) return false;
        for (int j = 1; j < lowerWord.length(); j++) if (lowerAscii(text.charAt(at + j)) != lowerWord.charAt(j)) return false;
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** A set of ASCII characters, written like a regex class body without brackets: {@code "0-9A-Z -"}. */
    static boolean[] asciiClass(String spec) {
        boolean[] t = new boolean[128];
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                char to = spec.charAt(i + 2);
                if (to < c || to >= 128) throw new IllegalArgumentException("bad range in " + spec);
                for (char x = c; x <= to; x++) t[x] = true;
                i += 2;
            } else {
                if (c >= 128) throw new IllegalArgumentException("not ASCII: " + spec);
                t[c] = true;
            }
        }
        return t;
    }

    static boolean in(boolean[] asciiClass, char c) {
        return c < 128 && asciiClass[c];
    }
}
