package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recognizer made of regular expressions with a base score each, plus an optional validator.
 *
 * <p>Subclasses override {@link #rescore} to validate a match (a checksum, a range rule): return {@code 0} to drop
 * it, {@code 1} when a checksum proves it, or the base score when the match can be neither proved nor refuted.
 */
public class PatternRecognizer implements PiiRecognizer {
    /** One regular expression; group {@code group} (0 = whole match) is the reported span. */
    public record Rule(String name, Pattern pattern, double score, int group) {
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pattern, "pattern");
            if (score < 0 || score > 1) throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        }

        public static Rule of(String name, String regex, double score) {
            return new Rule(name, Pattern.compile(regex), score, 0);
        }

        public static Rule ofIgnoreCase(String name, String regex, double score) {
            return new Rule(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), score, 0);
        }
    }

    private final String name;
    private final String entityType;
    private final List<Rule> rules;
    private final ContextWords context;
    private final Pattern candidates;
    private final Runs runs;
    private final boolean[] runChars;

    /**
     * Where matches can be, as a cheap pre-filter: every match of every rule is a run of characters of {@code chars}
     * (ASCII only) holding at least {@code minDigits} ASCII digits and at least {@code minLength} characters. The rules
     * then run only inside maximal runs of those characters that pass both counts, with transparent bounds, so
     * {@code \b} and look-arounds see the text around them and the matches are exactly those a whole-text scan finds.
     * A text without such a run (prose without digits, for the numeric identifiers) costs one pass over its characters.
     *
     * @param chars     a regex-class body without brackets, ASCII only: {@code "0-9 -"}; it must include the digits
     *                  when {@code minDigits > 0}
     */
    public record Runs(String chars, int minDigits, int minLength) {
        public Runs {
            Objects.requireNonNull(chars, "chars");
            boolean[] t = TextScan.asciiClass(chars);
            if (minDigits > 0 && !t['0']) throw new IllegalArgumentException("runs with digits must allow digits: " + chars);
        }

        public static Runs of(String chars, int minDigits) {
            return new Runs(chars, minDigits, 1);
        }
    }

    public PatternRecognizer(String name, String entityType, List<Rule> rules, ContextWords context) {
        this(name, entityType, rules, context, (Pattern) null);
    }

    /** See {@link Runs}: the rules run only inside runs of the given characters. */
    public PatternRecognizer(String name, String entityType, List<Rule> rules, ContextWords context, Runs runs) {
        this(name, entityType, rules, context, null, Objects.requireNonNull(runs, "runs"));
    }

    /**
     * @param candidates optional: maximal runs of the characters every match is made of. When given, the rules run
     *                   only inside these runs (with transparent bounds, so {@code \b} and look-arounds see the text
     *                   around them), which gives the same matches at a fraction of the cost on long texts.
     */
    public PatternRecognizer(String name, String entityType, List<Rule> rules, ContextWords context, Pattern candidates) {
        this(name, entityType, rules, context, candidates, null);
    }

    private PatternRecognizer(String name, String entityType, List<Rule> rules, ContextWords context, Pattern candidates, Runs runs) {
        this.candidates = candidates;
        this.runs = runs;
        this.runChars = runs == null ? null : TextScan.asciiClass(runs.chars());
        this.name = Objects.requireNonNull(name, "name");
        this.entityType = Objects.requireNonNull(entityType, "entityType");
        this.rules = List.copyOf(rules);
        this.context = Objects.requireNonNull(context, "context");
        if (this.rules.isEmpty()) throw new IllegalArgumentException(name + ": at least one rule is required");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> entityTypes() {
        return Set.of(entityType);
    }

    public final String entityType() {
        return entityType;
    }

    @Override
    public final ContextWords context() {
        return context;
    }

    /** The rules, in order (for tests). */
    final List<Rule> rules() {
        return rules;
    }

    /** Where the rules run, or null when they scan the whole text or candidate matches (for tests). */
    final Runs runs() {
        return runs;
    }

    /** The score for a match of {@code rule}; 0 drops it. */
    protected double rescore(String match, Rule rule) {
        return rule.score();
    }

    /** Whether a candidate run can hold a match at all; only consulted when candidates or runs are set. */
    protected boolean worthScanning(CharSequence candidate) {
        return true;
    }

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> found = new ArrayList<>();
        if (runs != null) {
            scanRuns(text, found);
        } else if (candidates == null) {
            scan(text, 0, text.length(), found);
        } else {
            Matcher c = candidates.matcher(text);
            while (c.find()) {
                if (worthScanning(text.subSequence(c.start(), c.end()))) scan(text, c.start(), c.end(), found);
            }
        }
        return Findings.removeContained(found);
    }

    /** Maximal runs of {@link #runChars}, each seeded by a digit when digits are required, else by any run character. */
    private void scanRuns(String text, List<Finding> found) {
        int n = text.length();
        int minDigits = runs.minDigits();
        if (!TextScan.hasDigits(text, minDigits)) return;
        int i = 0;
        while (i < n) {
            int seed;
            if (minDigits > 0) {
                seed = TextScan.nextDigit(text, i);
            } else {
                seed = i;
                while (seed < n && !TextScan.in(runChars, text.charAt(seed))) seed++;
                if (seed == n) seed = -1;
            }
            if (seed < 0) return;
            int s = seed;
            while (s > i && TextScan.in(runChars, text.charAt(s - 1))) s--;
            int e = seed;
            int digits = 0;
            while (e < n && TextScan.in(runChars, text.charAt(e))) {
                if (TextScan.isAsciiDigit(text.charAt(e))) digits++;
                e++;
            }
            if (digits >= minDigits && e - s >= runs.minLength() && worthScanning(text.subSequence(s, e))) scan(text, s, e, found);
            i = e + 1;   // text[e] is not a run character (or e == n)
        }
    }

    private void scan(String text, int from, int to, List<Finding> found) {
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(text).region(from, to).useTransparentBounds(true).useAnchoringBounds(false);
            while (m.find()) {
                int s = m.start(rule.group());
                int e = m.end(rule.group());
                if (s < 0 || e <= s) continue;
                double score = rescore(text.substring(s, e), rule);
                if (score > 0) found.add(new Finding(entityType, s, e, score, name));
            }
        }
    }
}
