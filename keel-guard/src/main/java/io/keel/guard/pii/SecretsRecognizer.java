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

    /** @param hint a substring every match contains (lower-case), checked before running the pattern */
    private record Shape(String type, Pattern pattern, int group, double score, String hint) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("AWS_ACCESS_KEY", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b"), 0, 0.95, "a"),
            new Shape("AWS_SECRET_KEY", Pattern.compile(
                    "(?i)aws.{0,20}?(?:secret|key).{0,20}?[\"'\\s:=]+([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"), 1, 0.9, "aws"),
            new Shape("GITHUB_TOKEN", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), 0, 0.95, "_"),
            new Shape("SLACK_TOKEN", Pattern.compile("\\bxox[abposr]-(?:[A-Za-z0-9]+-){1,4}[A-Za-z0-9]+\\b"), 0, 0.95, "xox"),
            new Shape("SLACK_TOKEN", Pattern.compile("https://hooks\\.slack\\.com/services/[A-Za-z0-9_/]+"), 0, 0.95, "hooks.slack.com"),
            new Shape("PRIVATE_KEY", Pattern.compile(
                    "-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\\s\\S]*?-----END \\1-----"), 0, 1.0, "-----begin "),
            new Shape("JWT", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\b"), 0, 0.95, "eyj"));

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
            if (!lower.contains(shape.hint())) continue;
            Matcher m = shape.pattern().matcher(text);
            while (m.find()) out.add(new Finding(shape.type(), m.start(shape.group()), m.end(shape.group()), shape.score(), name()));
        }
        if (!containsKeyWord(lower)) return Findings.nonOverlapping(out);
        Matcher m = KEYED_VALUE.matcher(text);
        while (m.find()) {
            String value = m.group(1);
            if (Checksums.shannonEntropy(value) >= MIN_ENTROPY && hasMixedClasses(value)) {
                out.add(new Finding("API_KEY", m.start(1), m.end(1), 0.7, name()));
            }
        }
        return Findings.nonOverlapping(out);
    }

    private static final List<String> KEY_WORDS = List.of("key", "secret", "token", "pass", "pwd", "bearer");

    private static boolean containsKeyWord(String lower) {
        for (String k : KEY_WORDS) if (lower.contains(k)) return true;
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
