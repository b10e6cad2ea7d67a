package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs: with a scheme (0.6) or a bare host name with a public suffix (0.5). A URL written inside matching quotes is
 * reported with its quotes. Trailing sentence punctuation is not part of the URL.
 */
public final class UrlRecognizer implements PiiRecognizer {
    private static final String HOST = "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}";
    private static final String TAIL = "(?::\\d{1,5})?(?:[/?#][^\\s\"'<>]*)?";
    private static final Pattern WITH_SCHEME = Pattern.compile("\\bhttps?://(" + HOST + ")" + TAIL, Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE = Pattern.compile("(?<![\\w@.\\-/:])(" + HOST + ")" + TAIL + "(?![\\w@-])", Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "url";
    }

    @Override
    public Set<String> entityTypes() {
        return Set.of("URL");
    }

    @Override
    public ContextWords context() {
        return ContextWords.of("url", "website", "link", "site", "domain");
    }

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> out = new ArrayList<>();
        collect(text, WITH_SCHEME, 0.6, out);
        collect(text, BARE, 0.5, out);
        return Findings.removeContained(out);
    }

    /** Every URL lies inside a run of non-space characters holding a dot; only those runs are searched. */
    private static final Pattern TOKEN = Pattern.compile("[^\\s\"'<>]*\\.[^\\s\"'<>]*");

    private void collect(String text, Pattern p, double score, List<Finding> out) {
        Matcher token = TOKEN.matcher(text);
        while (token.find()) collect(text, p, score, out, token.start(), token.end());
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
