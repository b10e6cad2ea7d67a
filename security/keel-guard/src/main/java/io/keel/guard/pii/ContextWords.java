package io.keel.guard.pii;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words around a match that raise (positive) or lower (negative) its score.
 *
 * <p>The window is the {@value #WORDS_BEFORE} words before the match and the {@value #WORDS_AFTER} after it,
 * lower-cased. A positive word lifts the score by {@value #BOOST} (to at least {@value #MIN_WITH_CONTEXT}); a negative
 * word halves it. Multi-word entries ("credit card") match as phrases in the window.
 */
public record ContextWords(Set<String> positive, Set<String> negative) {
    public static final ContextWords NONE = new ContextWords(Set.of(), Set.of());
    static final int WORDS_BEFORE = 5;
    static final int WORDS_AFTER = 2;
    static final double BOOST = 0.35;
    static final double MIN_WITH_CONTEXT = 0.4;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}#]+");

    public ContextWords {
        positive = Set.copyOf(positive);
        negative = Set.copyOf(negative);
    }

    public static ContextWords of(String... positive) {
        return new ContextWords(Set.of(positive), Set.of());
    }

    public ContextWords withNegative(String... words) {
        return new ContextWords(positive, Set.of(words));
    }

    /** The score of a match at {@code [start, end)} after looking at the words around it. */
    public double adjust(String text, int start, int end, double score) {
        if (positive.isEmpty() && negative.isEmpty()) return score;
        String window = asciiWindow(text, start, end);
        if (window == null) window = " " + wordsBefore(text, start) + " " + wordsAfter(text, end) + " ";
        if (containsAny(window, negative)) return score / 2;
        if (containsAny(window, positive)) return Math.min(1.0, Math.max(MIN_WITH_CONTEXT, score + BOOST));
        return score;
    }

    private static boolean containsAny(String window, Set<String> words) {
        for (String w : words) {
            if (containsPadded(window, w)) return true;
        }
        return false;
    }

    /** {@code window.contains(" " + w + " ")} without building the padded string. */
    private static boolean containsPadded(String window, String w) {
        if (w.isEmpty()) return window.contains("  ");
        for (int i = window.indexOf(w, 1); i > 0; i = window.indexOf(w, i + 1)) {
            int e = i + w.length();
            if (window.charAt(i - 1) == ' ' && e < window.length() && window.charAt(e) == ' ') return true;
        }
        return false;
    }

    /**
     * The same window as {@link #wordsBefore} and {@link #wordsAfter} build, without a regex or intermediate strings,
     * when every character they look at is ASCII (where lower-casing keeps offsets and a word character is
     * {@code [A-Za-z0-9#]}); null otherwise, and the general path runs.
     */
    private static String asciiWindow(String text, int start, int end) {
        int from = Math.max(0, start - 80);
        int to = Math.min(text.length(), end + 40);
        for (int i = from; i < start; i++) if (text.charAt(i) >= 128) return null;
        for (int i = end; i < to; i++) if (text.charAt(i) >= 128) return null;
        // the last WORDS_BEFORE words of [from, start), found backwards
        int[] spans = new int[2 * WORDS_BEFORE];
        int count = 0;
        int i = start;
        while (count < WORDS_BEFORE) {
            while (i > from && !isAsciiWordChar(text.charAt(i - 1))) i--;
            if (i == from) break;
            int e = i;
            while (i > from && isAsciiWordChar(text.charAt(i - 1))) i--;
            spans[2 * count] = i;
            spans[2 * count + 1] = e;
            count++;
        }
        StringBuilder sb = new StringBuilder(96).append(' ');
        for (int k = count - 1; k >= 0; k--) {
            appendLower(sb, text, spans[2 * k], spans[2 * k + 1]);
            if (k > 0) sb.append(' ');
        }
        sb.append(' ');
        // the first WORDS_AFTER words of [end, to)
        int j = end;
        for (int k = 0; k < WORDS_AFTER; k++) {
            while (j < to && !isAsciiWordChar(text.charAt(j))) j++;
            if (j == to) break;
            int s = j;
            while (j < to && isAsciiWordChar(text.charAt(j))) j++;
            if (k > 0) sb.append(' ');
            appendLower(sb, text, s, j);
        }
        return sb.append(' ').toString();
    }

    private static boolean isAsciiWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '#';
    }

    private static void appendLower(StringBuilder sb, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
    }

    private static String wordsBefore(String text, int start) {
        String head = text.substring(Math.max(0, start - 80), start).toLowerCase(Locale.ROOT);
        Matcher m = WORD.matcher(head);
        java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>();
        while (m.find()) {
            last.addLast(m.group());
            if (last.size() > WORDS_BEFORE) last.removeFirst();
        }
        return String.join(" ", last);
    }

    private static String wordsAfter(String text, int end) {
        String tail = text.substring(end, Math.min(text.length(), end + 40)).toLowerCase(Locale.ROOT);
        Matcher m = WORD.matcher(tail);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < WORDS_AFTER && m.find(); i++) sb.append(' ').append(m.group());
        return sb.toString().strip();
    }
}
