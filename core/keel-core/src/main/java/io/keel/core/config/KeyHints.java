package io.keel.core.config;

import java.util.Locale;
import java.util.Set;

/** "Did you mean" hints: the known name closest to a misspelt one. */
final class KeyHints {
    /** Most edits between a misspelt key and the key suggested for it. */
    static final int MAX_DISTANCE = 2;

    private KeyHints() {
    }

    /** The entry of {@code candidates} closest to {@code name} when at most two edits away, else null. */
    static String closest(String name, Set<String> candidates) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String c : candidates) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
