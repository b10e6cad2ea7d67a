package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs: with a scheme (0.6) or a bare host name with a public suffix (0.5). A URL written inside matching quotes is
 * reported with its quotes. Trailing sentence punctuation is not part of the URL.
 */
public final class UrlRecognizer extends SingleTypeRecognizer {
    private static final String HOST = "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}";
    private static final String TAIL = "(?::\\d{1,5})?(?:[/?#][^\\s\"'<>]*)?";
    private static final Pattern WITH_SCHEME = Pattern.compile("\\bhttps?://(" + HOST + ")" + TAIL, Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE = Pattern.compile("(?<![\\w@.\\-/:])(" + HOST + ")" + TAIL + "(?![\\w@-])", Pattern.CASE_INSENSITIVE);

    public UrlRecognizer() {
        super("url", "URL", CONTEXT);
    }

    private static final ContextWords CONTEXT = ContextWords.of("url", "website", "link", "site", "domain");

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> out = new ArrayList<>();
        int[] tokens = tokens(text);
        for (int i = 0; i < tokens.length; i += 2) {
            // a match of WITH_SCHEME lies inside the token, so the token must hold its "://"
            int colon = text.indexOf("://", tokens[i]);
            if (colon >= 0 && colon + 3 <= tokens[i + 1]) collect(text, WITH_SCHEME, 0.6, out, tokens[i], tokens[i + 1]);
        }
        for (int i = 0; i < tokens.length; i += 2) collect(text, BARE, 0.5, out, tokens[i], tokens[i + 1]);
        return Findings.removeContained(out);
    }

    /**
     * Every URL lies inside a maximal run of characters other than white space ({@code \\s}: space, tab, line feed,
     * vertical tab, form feed, carriage return), quotes and angle brackets that holds a dot; only those runs are
     * searched. Returns start/end pairs.
     */
    private static int[] tokens(String text) {
        int n = text.length();
        int dot = text.indexOf('.');
        if (dot < 0) return new int[0];
        int[] out = new int[8];
        int count = 0;
        while (dot >= 0) {
            int s = dot;
            while (s > 0 && !separator(text.charAt(s - 1))) s--;
            int e = dot;
            while (e < n && !separator(text.charAt(e))) e++;
            if (hasHostDot(text, s, e)) {
                if (count == out.length) out = java.util.Arrays.copyOf(out, count * 2);
                out[count++] = s;
                out[count++] = e;
            }
            dot = e < n ? text.indexOf('.', e + 1) : -1;
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /**
     * Whether {@code [from, to)} holds a dot between an ASCII letter or digit and an ASCII letter, as every
     * {@code HOST} match does before its last label: a token without one ("week.", "3.5") cannot hold a URL.
     */
    private static boolean hasHostDot(String text, int from, int to) {
        for (int i = text.indexOf('.', from + 1); i >= 0 && i + 1 < to; i = text.indexOf('.', i + 1)) {
            if (isAsciiLetter(text.charAt(i + 1)) && (isAsciiLetter(text.charAt(i - 1)) || TextScan.isAsciiDigit(text.charAt(i - 1)))) return true;
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean separator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '"' || c == '\'' || c == '<' || c == '>';
    }

    private void collect(String text, Pattern p, double score, List<Finding> out, int from, int to) {
        Matcher m = p.matcher(text).region(from, to).useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find()) {
            if (!EmailRecognizer.Hosts.hasPublicSuffix(m.group(1))) continue;
            int s = m.start();
            int e = trimEnd(text, m.group(1).length() + m.start(1), m.end());
            if (s > 0 && e < text.length()) {
                char q = text.charAt(s - 1);
                if ((q == '"' || q == '\'') && text.charAt(e) == q) {
                    s--;
                    e++;
                }
            }
            out.add(new Finding("URL", s, e, score, name()));
        }
    }

    private static int trimEnd(String text, int hostEnd, int end) {
        while (end > hostEnd && ".,;:!?)]".indexOf(text.charAt(end - 1)) >= 0) {
            char c = text.charAt(end - 1);
            if (c == ')' && text.substring(hostEnd, end).indexOf('(') >= 0) break;
            end--;
        }
        return end;
    }
}
