package io.keel.graph.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Word tokens of a sentence and the small word lists the pattern extractor and the query linker share. */
final class Tokens {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’.&][\\p{L}\\p{N}]+)*");

    /** Lower-case words that may join capitalised words inside one name: "University of Copenhagen". */
    static final Set<String> CONNECTORS = Set.of("of", "the", "de", "del", "della", "da", "du", "la", "le", "von", "van",
            "der", "den", "y", "al", "el", "bin");

    /** Words that are capitalised for their position, not because they name something; never a name on their own. */
    static final Set<String> STOP = Set.copyOf(List.of("the", "a", "an", "it", "its", "in", "on", "at", "he", "she", "they", "this",
            "that", "these", "those", "there", "his", "her", "their", "as", "after", "before", "during", "when", "while",
            "since", "although", "however", "following", "from", "with", "by", "for", "of", "to", "some", "many", "most",
            "other", "we", "i", "also", "both", "each", "if", "one", "two", "what", "who", "whom", "whose", "which",
            "where", "why", "how", "according", "born", "later", "today", "is", "was", "are", "were", "be", "and", "or",
            "but", "not", "no", "yes", "all", "any", "our", "your", "my", "you", "me", "him", "them", "us", "then",
            "than", "so", "such", "until", "upon", "under", "over", "between", "into", "about", "did", "does", "do",
            "has", "have", "had", "can", "could", "would", "should", "will", "might", "must", "mr", "mrs", "dr",
            "st", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "besides", "despite", "including", "because", "unlike", "like", "within", "without", "through", "throughout", "among", "along", "around", "against", "toward", "towards", "via", "per", "here", "now", "once", "only", "even", "still", "yet", "just", "very", "again", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"));

    /** @param joined whether only white space separates it from the token before (no comma, bracket or dash) */
    record Token(String text, String lower, boolean capitalised, boolean joined) {
    }

    private Tokens() {
    }

    static List<Token> of(String sentence) {
        List<Token> out = new ArrayList<>();
        Matcher m = WORD.matcher(sentence);
        int last = -1;
        while (m.find()) {
            String t = m.group();
            boolean cap = Character.isUpperCase(t.codePointAt(0));
            boolean joined = last >= 0 && sentence.substring(last, m.start()).isBlank();
            out.add(new Token(t, t.toLowerCase(Locale.ROOT), cap, joined));
            last = m.end();
        }
        return out;
    }
}
