package io.keel.generator.extractive;

import io.keel.core.text.Words;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Sentence splitting and the small lexical vocabulary the extractive generator scores with. */
final class Sentences {
    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "is",
            "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who",
            "why", "will", "with", "you", "your", "my", "me", "we", "our", "they", "their", "there", "these", "those",
            "into", "about", "should", "would", "could", "has", "have", "had", "not", "no", "if", "then", "than", "so");

    private Sentences() {
    }

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        for (String piece : Words.sentencePieces(text)) {
            // A "sentence" that starts with a lower-case letter or a path character is the rest of the previous one,
            // cut at a dot inside a command, path or abbreviation (./keel, e.g. this).
            if (!pieces.isEmpty() && !piece.isBlank() && continuesSentence(piece.stripLeading().charAt(0))
                    && !pieces.getLast().endsWith("\n")) {
                pieces.set(pieces.size() - 1, pieces.getLast() + piece);
            } else {
                pieces.add(piece);
            }
        }
        for (String piece : pieces) {
            String s = piece.strip();
            // Lines inside lists and tables carry no sentence punctuation; treat each line as its own sentence.
            for (String line : s.split("\\n+")) {
                String l = line.strip();
                if (isProse(l)) out.add(l);
            }
        }
        return out;
    }

    private static boolean continuesSentence(char first) {
        return Character.isLowerCase(first) || first == '/' || first == '~' || first == '-' || first == '_';
    }

    /**
     * Whether a line reads as a sentence: a few words, mostly letters. Commands, JSON and table rows make poor answers
     * on their own; the chunk they belong to is still cited.
     */
    static boolean isProse(String line) {
        int letters = 0;
        for (int i = 0; i < line.length(); i++) if (Character.isLetter(line.charAt(i))) letters++;
        int words = 0;
        for (String w : line.split("\\s+")) if (w.length() > 1 && w.chars().allMatch(Character::isLetter)) words++;
        return words >= 4 && letters >= 0.6 * line.length();
    }

    /** Lower-cased content words with a light plural/verb-suffix stem, for overlap scoring. */
    static Set<String> terms(String text) {
        return Words.terms(text, STOPWORDS, Words::stem);
    }
}
