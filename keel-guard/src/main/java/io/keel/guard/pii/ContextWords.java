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
        String window = " " + wordsBefore(text, start) + " " + wordsAfter(text, end) + " ";
        if (containsAny(window, negative)) return score / 2;
        if (containsAny(window, positive)) return Math.min(1.0, Math.max(MIN_WITH_CONTEXT, score + BOOST));
        return score;
    }

    private static boolean containsAny(String window, Set<String> words) {
        for (String w : words) {
            if (window.contains(" " + w + " ")) return true;
        }
        return false;
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
