package io.keel.graph.extract;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known-entity dictionary: names the corpus itself declares, the titles of its documents. A multi-word title is
 * found even when written in lower case ("person-centered therapy"); keys are {@link EntityNames#key normalised}.
 * Thread-safe: ingestion adds titles while other threads extract.
 */
public final class KnownEntities {
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Set<String> firstWords = ConcurrentHashMap.newKeySet();
    private volatile int longest = 1;

    public KnownEntities(Collection<String> titles) {
        titles.forEach(this::add);
    }

    /** Adds a title; keys shorter than two characters are ignored. */
    public void add(String title) {
        String key = EntityNames.key(title);
        if (key.length() < 2) return;
        names.putIfAbsent(key, title.strip());
        String[] split = key.split(" ");
        firstWords.add(split[0]);
        int words = split.length;
        if (words > longest) longest = Math.min(words, 8);
    }

    /** Whether some title's key starts with the word {@code key}: the cheap test before longer look-ups. */
    public boolean startsWith(String word) {
        return firstWords.contains(word);
    }

    public boolean contains(String key) {
        return names.containsKey(key);
    }

    /** The longest title in words (at most 8), the longest n-gram worth looking up. */
    public int longest() {
        return longest;
    }

    public int size() {
        return names.size();
    }
}
