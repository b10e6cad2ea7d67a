package io.keel.quality;

import io.keel.core.text.Words;

import java.util.ArrayList;
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
        for (String piece : Words.sentencePieces(text)) {
            for (String line : piece.split("\\n+")) {
                String s = line.strip();
                if (!s.isEmpty()) out.add(s);
            }
        }
        return out;
    }

    /** Lower-cased content words (stopwords and one-character tokens dropped) with a light suffix stem. */
    static Set<String> terms(String text) {
        return Words.terms(text, STOPWORDS, Text::stem);
    }

    /** {@link Words#stem}, and a final {@code -e} dropped when no suffix was: rotate ~ rotated, rotates. */
    static String stem(String w) {
        String s = Words.stem(w);
        if (s.equals(w) && w.length() > 4 && w.endsWith("e")) return w.substring(0, w.length() - 1);
        return s;
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
