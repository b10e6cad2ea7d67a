package io.keel.core.text;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The lexical basics the answer-side modules share (the extractive generator, the quality signals): English sentence
 * boundaries, content-word terms and a light suffix stem. Each caller keeps its own stopwords and post-processing.
 */
public final class Words {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Words() {
    }

    /** {@code text} cut at the English sentence boundaries of {@link BreakIterator}, pieces as they stand (not stripped). */
    public static List<String> sentencePieces(String text) {
        List<String> pieces = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            pieces.add(text.substring(start, end));
        }
        return pieces;
    }

    /** Lower-cased words of {@code text} (runs of letters and digits), without one-character words and {@code stopwords}, stemmed. */
    public static Set<String> terms(String text, Set<String> stopwords, UnaryOperator<String> stem) {
        Set<String> out = new HashSet<>();
        for (String raw : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (raw.length() < 2 || stopwords.contains(raw)) continue;
            out.add(stem.apply(raw));
        }
        return out;
    }

    /** Drops one plural or verb suffix ({@code -ing}, {@code -ed}, {@code -es}, {@code -s} but not {@code -ss}); short words stay. */
    public static String stem(String w) {
        if (w.length() > 5 && w.endsWith("ing")) return w.substring(0, w.length() - 3);
        if (w.length() > 4 && w.endsWith("ed")) return w.substring(0, w.length() - 2);
        if (w.length() > 4 && w.endsWith("es")) return w.substring(0, w.length() - 2);
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
        return w;
    }
}
