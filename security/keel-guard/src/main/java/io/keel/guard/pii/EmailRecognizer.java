package io.keel.guard.pii;

import com.google.common.net.InternetDomainName;

import java.util.List;
import java.util.Locale;

/** E-mail addresses whose domain ends in a real public suffix (so {@code info@presidio.} is not one). */
public final class EmailRecognizer extends PatternRecognizer {
    private static final String LOCAL = "[!#$%&'*+\\-/=?^_`{|}~\\w]";
    private static final String REGEX = "\\b((" + LOCAL + ")|(" + LOCAL + "[!#$%&'*+\\-/=?^_`{|}~.\\w]*" + LOCAL + "))"
            + "@\\w[\\w-]*(?:\\.[\\w-]+)*\\.\\w[\\w-]*\\b";

    public EmailRecognizer() {
        super("email", "EMAIL_ADDRESS", List.of(Rule.of("email", REGEX, 0.5)), ContextWords.of("email", "mail", "e-mail", "contact"));
    }

    /** Matches only near an {@code @}: the pattern is costly to try at every word boundary of a long text. */
    @Override
    public List<io.keel.core.guard.Finding> recognize(String text) {
        int at = text.indexOf('@');
        if (at < 0) return List.of();
        List<io.keel.core.guard.Finding> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = PATTERN.matcher(text).useTransparentBounds(true);
        int searchFrom = 0;
        while (at >= 0) {
            int start = at - 1;
            while (start >= 0 && start >= at - MAX_LOCAL && !Character.isWhitespace(text.charAt(start))) start--;
            start = Math.max(searchFrom, start + 1);
            int end = Math.min(text.length(), at + MAX_DOMAIN);
            m.region(start, end);
            if (m.find() && m.start() <= at && m.end() > at) {
                double score = rescore(m.group(), null);
                if (score > 0) out.add(new io.keel.core.guard.Finding("EMAIL_ADDRESS", m.start(), m.end(), score, name()));
                searchFrom = m.end();
            }
            at = text.indexOf('@', Math.max(at + 1, searchFrom));
        }
        return out;
    }

    private static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile(REGEX);
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 256;

    @Override
    protected double rescore(String match, Rule rule) {
        String domain = match.substring(match.lastIndexOf('@') + 1);
        return Hosts.hasPublicSuffix(domain) ? 1.0 : 0.0;
    }

    /** Host-name checks shared by the e-mail and URL recognizers. */
    static final class Hosts {
        private Hosts() {
        }

        static boolean hasPublicSuffix(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (!InternetDomainName.isValid(h)) return false;
            InternetDomainName name = InternetDomainName.from(h);
            if (name.hasPublicSuffix() && !name.isPublicSuffix()) {
                // "www.<tld>" names a top-level domain, not a site (www.microsoft)
                return !(name.parts().getFirst().equals("www") && name.parent().isPublicSuffix());
            }
            // Punycode top-level domains (xn--p1ai) are listed in Unicode in the suffix list; accept them by form.
            String tld = name.parts().getLast();
            return name.parts().size() > 1 && tld.startsWith("xn--") && tld.length() > 4;
        }
    }
}
