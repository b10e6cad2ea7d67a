package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials: AWS access keys and secret keys, GitHub and Slack tokens, PEM private key blocks, JSON web tokens, and
 * high-entropy values assigned to a key-like word ({@code api_key = ...}, {@code "password": "..."}).
 */
public final class SecretsRecognizer implements PiiRecognizer {
    /** Minimum Shannon entropy (bits/char) of a value next to a key word to count as a secret. */
    static final double MIN_ENTROPY = 3.0;

    /**
     * @param hint a test every text holding a match passes, checked before running the pattern (the patterns are
     *             case-sensitive unless marked {@code (?i)}, which in Java folds ASCII only)
     */
    private record Shape(String type, Pattern pattern, int group, double score, java.util.function.BiPredicate<String, String> hint,
                         String[] anchors) {
        Shape(String type, Pattern pattern, int group, double score, java.util.function.BiPredicate<String, String> hint) {
            this(type, pattern, group, score, hint, null);
        }
    }

    private static final List<String> AWS_PREFIXES = List.of("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA");

    private static final List<Shape> SHAPES = List.of(
            new Shape("AWS_ACCESS_KEY", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b"), 0, 0.95,
                    (t, lower) -> containsAny(t, AWS_PREFIXES)),
            new Shape("AWS_SECRET_KEY", Pattern.compile(
                    "(?i)aws.{0,20}?(?:secret|key).{0,20}?[\"'\\s:=]+([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"), 1, 0.9,
                    (t, lower) -> lower.contains("aws"), new String[] {"aws"}),
            new Shape("GITHUB_TOKEN", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), 0, 0.95,
                    (t, lower) -> mayHoldGithubToken(t)),
            new Shape("SLACK_TOKEN", Pattern.compile("\\bxox[abposr]-(?:[A-Za-z0-9]+-){1,4}[A-Za-z0-9]+\\b"), 0, 0.95, (t, lower) -> t.contains("xox")),
            new Shape("SLACK_TOKEN", Pattern.compile("https://hooks\\.slack\\.com/services/[A-Za-z0-9_/]+"), 0, 0.95, (t, lower) -> t.contains("https://hooks.slack.com/")),
            new Shape("PRIVATE_KEY", Pattern.compile(
                    "-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\\s\\S]*?-----END \\1-----"), 0, 1.0,
                    (t, lower) -> t.contains("-----BEGIN ")),
            new Shape("JWT", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\b"), 0, 0.95, (t, lower) -> t.contains("eyJ")));

    private static final Pattern KEYED_VALUE = Pattern.compile(
            "(?i)\\b(?:api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token|token|password|passwd|pwd|client[_-]?secret|private[_-]?key|bearer)"
                    + "[\"']?\\s*(?:[:=]|=>|\\s)\\s*[\"']?([A-Za-z0-9/+_\\-.=~]{16,200})");

    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public Set<String> entityTypes() {
        return Set.of("AWS_ACCESS_KEY", "AWS_SECRET_KEY", "GITHUB_TOKEN", "SLACK_TOKEN", "PRIVATE_KEY", "JWT", "API_KEY");
    }

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> out = new ArrayList<>();
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        for (Shape shape : SHAPES) {
            if (!shape.hint().test(text, lower)) continue;
            Matcher m = shape.pattern().matcher(text);
            if (shape.anchors() == null) {
                while (m.find()) out.add(new Finding(shape.type(), m.start(shape.group()), m.end(shape.group()), shape.score(), name()));
            } else {
                AnchoredFinder f = new AnchoredFinder(m, text, shape.anchors(), 0);
                while (f.next()) out.add(new Finding(shape.type(), m.start(shape.group()), m.end(shape.group()), shape.score(), name()));
            }
        }
        if (!containsAny(lower, KEY_WORDS)) return Findings.nonOverlapping(out);
        Matcher m = KEYED_VALUE.matcher(text);
        AnchoredFinder keyed = new AnchoredFinder(m, text, KEY_WORD_ARRAY, KEYED_VALUE_MAX_BACK);
        while (keyed.next()) {
            String value = m.group(1);
            if (Checksums.shannonEntropy(value) >= MIN_ENTROPY && hasMixedClasses(value)) {
                out.add(new Finding("API_KEY", m.start(1), m.end(1), 0.7, name()));
            }
        }
        return Findings.nonOverlapping(out);
    }

    private static final List<String> KEY_WORDS = List.of("key", "secret", "token", "pass", "pwd", "bearer");
    private static final String[] KEY_WORD_ARRAY = KEY_WORDS.toArray(String[]::new);
    /** The furthest a KEYED_VALUE match starts before the key word in it: "private_" before "key". */
    private static final int KEYED_VALUE_MAX_BACK = 8;

    /**
     * The matches {@code find()} would give, one by one, for a pattern whose every match starts at most {@code maxBack}
     * characters before an occurrence (ASCII case ignored) of one of {@code anchors} inside it: only those start
     * positions are tried, in order, with {@code lookingAt} and transparent bounds, instead of every position of the
     * text. The first position that matches is the one {@code find()} would report, and the search resumes at the
     * match's end as {@code find()} does.
     */
    private static final class AnchoredFinder {
        private final Matcher m;
        private final String text;
        private final String[] anchors;
        private final int maxBack;
        private int resume;
        private int tried = -1;

        AnchoredFinder(Matcher m, String text, String[] anchors, int maxBack) {
            this.m = m.useTransparentBounds(true).useAnchoringBounds(false);
            this.text = text;
            this.anchors = anchors;
            this.maxBack = maxBack;
        }

        boolean next() {
            int n = text.length();
            for (int q = TextScan.nextWordIgnoreAsciiCase(text, resume, anchors); q >= 0;
                 q = TextScan.nextWordIgnoreAsciiCase(text, q + 1, anchors)) {
                for (int p = Math.max(Math.max(resume, q - maxBack), tried + 1); p <= q; p++) {
                    tried = p;
                    if (m.region(p, n).lookingAt()) {
                        resume = m.end();
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Every key word KEYED_VALUE matches (ASCII case-insensitively) contains one of {@link #KEY_WORDS}. */
    private static boolean containsAny(String text, List<String> words) {
        for (String k : words) if (text.contains(k)) return true;
        return false;
    }

    /** {@code gh[pousr]_} or {@code github_pat_} somewhere in the text. */
    private static boolean mayHoldGithubToken(String text) {
        for (int i = text.indexOf('_'); i >= 0; i = text.indexOf('_', i + 1)) {
            if (i >= 3 && text.charAt(i - 3) == 'g' && text.charAt(i - 2) == 'h' && "pousr".indexOf(text.charAt(i - 1)) >= 0) return true;
            if (text.startsWith("github_pat_", i - 6)) return true;
        }
        return false;
    }

    private static boolean hasMixedClasses(String v) {
        boolean digit = false;
        boolean letter = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            digit |= Character.isDigit(c);
            letter |= Character.isLetter(c);
        }
        return digit && letter;
    }
}
