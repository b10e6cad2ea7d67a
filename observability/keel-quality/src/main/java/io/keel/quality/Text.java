package io.keel.quality;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Sentence splitting, citation stripping and the small lexical vocabulary the quality signals use. */
final class Text {
    /** Citation markers such as {@code [1]}, {@code [2, 3]} or {@code [1-2]}. */
    private static final Pattern CITATION = Pattern.compile("\\s*\\[\\d+(?:\\s*[,;\\u2013-]\\s*\\d+)*]");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    static final Set<String> STOPWORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "can", "did", "do", "does", "for",
            "from", "how", "i", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were",
            "what", "when", "where", "which", "who", "whom", "why", "will", "with", "you", "your", "my", "me", "we",
            "our", "they", "them", "their", "there", "these", "those", "into", "about", "should", "would", "could",
            "has", "have", "had", "not", "no", "if", "then", "than", "so", "he", "she", "his", "her", "also", "such",
            "may", "might", "must", "shall", "all", "any", "some", "more", "most", "other", "only", "very", "over");

    private Text() {
    }

    static String stripCitations(String text) {
        return CITATION.matcher(text).replaceAll("");
    }

    /** Sentences by {@link BreakIterator}, each line of a list or table its own sentence, blanks dropped. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            for (String line : text.substring(start, end).split("\\n+")) {
                String s = line.strip();
                if (!s.isEmpty()) out.add(s);
            }
        }
        return out;
    }

    /** Lower-cased content words (stopwords and one-character tokens dropped) with a light suffix stem. */
    static Set<String> terms(String text) {
        Set<String> out = new HashSet<>();
        for (String raw : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (raw.length() < 2 || STOPWORDS.contains(raw)) continue;
            out.add(stem(raw));
        }
        return out;
    }

    static String stem(String w) {
        if (w.length() > 5 && w.endsWith("ing")) return w.substring(0, w.length() - 3);
        if (w.length() > 4 && w.endsWith("ed")) return w.substring(0, w.length() - 2);
        if (w.length() > 4 && w.endsWith("es")) return w.substring(0, w.length() - 2);
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
        if (w.length() > 4 && w.endsWith("e")) return w.substring(0, w.length() - 1); // rotate ~ rotated, rotates
        return w;
    }

    /** Share of {@code claim}'s terms found in {@code source} (containment, not Jaccard); 0 for an empty claim. */
    static double containment(Set<String> claim, Set<String> source) {
        if (claim.isEmpty()) return 0;
        int hits = 0;
        for (String t : claim) if (source.contains(t)) hits++;
        return (double) hits / claim.size();
    }

    /** Lower-cased letters and digits separated by single spaces: for verbatim-copy checks. */
    static String normalize(String text) {
        return NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** Dot product; the cosine for the L2-normalised vectors an {@link io.keel.core.spi.Embedder} returns. */
    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
