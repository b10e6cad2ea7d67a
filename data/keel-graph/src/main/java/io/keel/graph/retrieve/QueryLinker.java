package io.keel.graph.retrieve;

import io.keel.graph.extract.EntityNames;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links a question to graph entities by string match: every run of up to the longest entity name's words (a single word only when capitalised) is
 * {@link EntityNames#key normalised} and looked up; a run inside a longer matched run is skipped ("Journal of
 * Psychotherapy Integration", not also "Psychotherapy"). Each linked entity is weighted by its specificity,
 * {@code log(1 + chunks / chunks mentioning it)}, so rare names steer the walk and common ones barely do.
 */
final class QueryLinker {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’.&][\\p{L}\\p{N}]+)*");
    private static final Set<String> SKIP = Set.of("the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from",
            "and", "or", "is", "was", "are", "were", "be", "who", "what", "when", "where", "which", "whom", "whose", "how",
            "why", "did", "does", "do", "that", "this", "it", "its", "as", "many", "much", "first", "one", "he", "she", "they",
            "his", "her", "their", "has", "have", "had", "not", "same", "after", "before", "than", "there", "year", "name");

    private QueryLinker() {
    }

    /** Whether a word of {@code [from, to)} is capitalised in the question and not a function word ("the City"). */
    private static boolean anyCapitalised(List<String> words, List<Boolean> capitalised, int from, int to) {
        for (int k = from; k < to; k++) if (capitalised.get(k) && !SKIP.contains(words.get(k))) return true;
        return false;
    }

    static Map<Integer, Double> link(GraphModel model, String question) {
        List<String> words = new ArrayList<>();
        List<Boolean> capitalised = new ArrayList<>();
        Matcher m = WORD.matcher(question);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
            capitalised.add(Character.isUpperCase(m.group().codePointAt(0)));
        }
        Map<Integer, Double> seeds = new HashMap<>();
        boolean[] covered = new boolean[words.size()];
        for (int n = Math.min(model.maxKeyWords, words.size()); n >= 1; n--) {
            for (int i = 0; i + n <= words.size(); i++) {
                if (covered[i] && covered[i + n - 1]) continue;
                if (n == 1 && SKIP.contains(words.get(i))) continue;
                String key = EntityNames.key(String.join(" ", words.subList(i, i + n)));
                Integer e = model.byKey.get(key);
                if (e == null) continue;
                if (!key.contains(" ") && !anyCapitalised(words, capitalised, i, i + n)) continue;
                for (int k = i; k < i + n; k++) covered[k] = true;
                double specificity = Math.log(1.0 + (double) model.chunks() / Math.max(1, model.documentFrequency[e]));
                seeds.merge(e, specificity, Math::max);
            }
        }
        return seeds;
    }
}
