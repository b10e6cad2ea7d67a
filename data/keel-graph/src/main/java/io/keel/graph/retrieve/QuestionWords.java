package io.keel.graph.retrieve;

import io.keel.core.query.SearchHit;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The content words of a question or a document, lower-cased and cut to their first five letters (a stem cheap
 * enough for a handful of candidates per query: "produced" and "producer" meet), function words left out.
 */
final class QuestionWords {
    private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final int STEM = 5;
    private static final Set<String> FUNCTION = Set.of("the", "and", "for", "was", "were", "what", "which", "who", "whom",
            "whose", "when", "where", "that", "this", "with", "from", "how", "many", "much", "name", "its", "his", "her",
            "their", "has", "have", "had", "been", "are", "did", "does", "into", "than", "then", "also", "both", "not");

    private QuestionWords() {
    }

    /** A new, modifiable set of {@code text}'s content words. */
    static Set<String> of(String text) {
        Set<String> out = new HashSet<>();
        for (String w : SPLIT.split(text.toLowerCase(Locale.ROOT))) {
            if (w.length() < 3 || FUNCTION.contains(w)) continue;
            out.add(w.length() > STEM ? w.substring(0, STEM) : w);
        }
        return out;
    }

    /** The content words of {@code document}'s chunks among {@code candidates}, titles included. */
    static Set<String> ofDocument(List<SearchHit> candidates, String document) {
        Set<String> out = new HashSet<>();
        for (SearchHit h : candidates) {
            if (h.documentId().equals(document)) out.addAll(of(h.title() + " " + h.text()));
        }
        return out;
    }

    static int shared(Set<String> a, Set<String> b) {
        int n = 0;
        for (String w : a) if (b.contains(w)) n++;
        return n;
    }
}
