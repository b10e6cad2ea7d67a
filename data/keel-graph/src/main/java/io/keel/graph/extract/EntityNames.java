package io.keel.graph.extract;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The key every way of writing an entity maps to: accents folded, lower case, a leading article, a possessive and a
 * trailing parenthetical disambiguation ("Hello Love (album)") dropped, punctuation turned into single spaces. Two
 * spellings with the same key are one node.
 */
public final class EntityNames {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern PARENTHETICAL = Pattern.compile("\\s*\\([^)]*\\)\\s*$");
    private static final Pattern POSSESSIVE = Pattern.compile("['’]s\\b");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private EntityNames() {
    }

    public static String key(String surface) {
        String s = PARENTHETICAL.matcher(surface).replaceAll("");
        s = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFKD)).replaceAll("");
        s = POSSESSIVE.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("");
        s = NON_WORD.matcher(s).replaceAll(" ").strip();
        if (s.startsWith("the ")) s = s.substring(4);
        else if (s.startsWith("a ")) s = s.substring(2);
        return s;
    }
}
