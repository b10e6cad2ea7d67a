package io.keel.graph.extract;

import io.keel.core.text.Words;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The default extractor, with no model: in each sentence, runs of capitalised words (joined by "of", "de", "von" and
 * the like: "University of Copenhagen"), leading function words dropped ("The", "In"), and every multi-word title of
 * the {@link KnownEntities known-entity dictionary} however it is cased. Costs a regular-expression pass per sentence.
 */
public final class PatternEntityExtractor implements EntityExtractor {
    private static final int MAX_SPAN = 8;
    private final KnownEntities known;

    public PatternEntityExtractor(KnownEntities known) {
        this.known = Objects.requireNonNull(known, "known");
    }

    @Override
    public List<List<Surface>> extract(String text) {
        List<List<Surface>> out = new ArrayList<>();
        for (String sentence : Words.sentencePieces(text)) {
            if (sentence.isBlank()) continue;
            out.add(sentence(Tokens.of(sentence)));
        }
        return out;
    }

    List<Surface> sentence(List<Tokens.Token> tokens) {
        Map<String, Surface> found = new LinkedHashMap<>();
        boolean[] covered = new boolean[tokens.size()];
        dictionarySpans(tokens, found, covered);
        capitalisedSpans(tokens, found, covered);
        return List.copyOf(found.values());
    }

    private static void capitalisedSpans(List<Tokens.Token> tokens, Map<String, Surface> found, boolean[] covered) {
        int i = 0;
        while (i < tokens.size()) {
            if (!tokens.get(i).capitalised()) {
                i++;
                continue;
            }
            int end = i + 1;
            while (end < tokens.size() && end - i < MAX_SPAN) {
                Tokens.Token t = tokens.get(end);
                if (!t.joined()) break;
                if (t.capitalised()) {
                    end++;
                } else if (Tokens.CONNECTORS.contains(t.lower()) && end + 1 < tokens.size() && tokens.get(end + 1).capitalised()
                        && tokens.get(end + 1).joined()) {
                    end += 2;
                } else {
                    break;
                }
            }
            int start = i;
            while (start < end && Tokens.STOP.contains(tokens.get(start).lower())) start++;
            boolean inTitle = true;
            for (int k = start; k < end; k++) inTitle &= covered[k];
            boolean initialWord = start == 0 && end == 1 && looksLikeAWord(tokens.get(0).lower());
            if (start < end && !inTitle && !initialWord) add(found, join(tokens, start, end));
            i = end;
        }
    }

    private void dictionarySpans(List<Tokens.Token> tokens, Map<String, Surface> found, boolean[] covered) {
        int longest = known.longest();
        String[] keys = new String[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) keys[i] = EntityNames.key(tokens.get(i).text());
        for (int i = 0; i < tokens.size(); i++) {
            if (!known.startsWith(keys[i]) && !(keys[i].equals("the") && i + 1 < tokens.size())) continue;
            StringBuilder key = new StringBuilder(keys[i]);
            int matched = 0;
            for (int n = 2; n <= Math.min(longest, tokens.size() - i); n++) {
                if (!keys[i + n - 1].isEmpty()) key.append(' ').append(keys[i + n - 1]);
                String k = key.toString();
                if (k.startsWith("the ")) k = k.substring(4);
                if (known.contains(k)) matched = n;
            }
            if (matched > 0) {
                add(found, join(tokens, i, i + matched));
                for (int k = i; k < i + matched; k++) covered[k] = true;
            }
        }
    }

    /** A sentence's capitalised first word that reads as a past participle or an adverb ("Located", "Originally"). */
    private static boolean looksLikeAWord(String lower) {
        return lower.length() >= 5 && (lower.endsWith("ed") || lower.endsWith("ly"));
    }

    private static void add(Map<String, Surface> found, String name) {
        Surface s = Surface.of(name);
        if (s.isName()) found.putIfAbsent(s.key(), s);
    }

    private static String join(List<Tokens.Token> tokens, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            if (k > from) sb.append(' ');
            sb.append(tokens.get(k).text());
        }
        return sb.toString();
    }
}
