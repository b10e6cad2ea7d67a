package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 addresses, including IPv4-mapped and embedded forms ({@code ::ffff:10.0.0.1}).
 *
 * <p>A candidate is a run of hex digits, colons and dots that does not touch a letter or digit on either side; it
 * is parsed, not just pattern-matched. When a run is not an address as a whole, a dotted-quad inside it at a word
 * boundary still counts. The unspecified address {@code ::} alone scores 0.1; everything else 0.6.
 */
public final class IpAddressRecognizer extends SingleTypeRecognizer {
    /** Characters of a candidate run ({@code [0-9A-Fa-f:.]}). */
    private static final boolean[] RUN = TextScan.asciiClass("0-9A-Fa-f:.");
    private static final Pattern IPV4 = Pattern.compile(
            "\\b(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\b");

    public IpAddressRecognizer() {
        super("ip-address", "IP_ADDRESS", CONTEXT);
    }

    private static final ContextWords CONTEXT = ContextWords.of("ip", "ipv4", "ipv6", "address", "server", "host", "ip address");

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        int runEnd = 0;
        while (true) {
            // the next maximal run of RUN characters, found by hand (a regex find per word of prose was the cost)
            int runStart = runEnd;
            while (runStart < n && !TextScan.in(RUN, text.charAt(runStart))) runStart++;
            if (runStart >= n) break;
            runEnd = runStart;
            boolean digitOrColon = false;
            while (runEnd < n && TextScan.in(RUN, text.charAt(runEnd))) {
                char c = text.charAt(runEnd);
                digitOrColon |= c == ':' || TextScan.isAsciiDigit(c);
                runEnd++;
            }
            // an address of either family, a scoped one and a dotted quad inside the run all need a digit or a colon
            if (!digitOrColon) continue;
            int s = runStart;
            int e = runEnd;
            while (e > s && text.charAt(e - 1) == '.') e--;
            boolean isolated = (s == 0 || !isWordChar(text.charAt(s - 1))) && (e == text.length() || !isWordChar(text.charAt(e)));
            String run = text.substring(s, e);
            if (run.indexOf(':') >= 0 && e < text.length() && text.charAt(e) == '%' && isIpv6(run)) {
                int z = e + 1;
                while (z < text.length() && (Character.isLetterOrDigit(text.charAt(z)) || text.charAt(z) == '.')) z++;
                if (z > e + 1 && (s == 0 || !isWordChar(text.charAt(s - 1)))) {
                    out.add(new Finding("IP_ADDRESS", s, z, 0.6, name()));   // scoped address: fe80::1%eth0
                    continue;
                }
            }
            if (isolated && run.indexOf(':') >= 0 && isIpv6(run)) {
                out.add(new Finding("IP_ADDRESS", s, e, run.equals("::") ? 0.1 : 0.6, name()));
            } else if (isolated && isIpv4(run)) {
                out.add(new Finding("IP_ADDRESS", s, e, 0.6, name()));
            } else if (dots(run) >= 3) {
                Matcher v4 = IPV4.matcher(text).region(runStart, runEnd);
                v4.useTransparentBounds(true);
                while (v4.find()) {
                    int vs = v4.start();
                    int ve = v4.end();
                    boolean clean = (vs == 0 || !Character.isLetterOrDigit(text.charAt(vs - 1)))
                            && (ve == text.length() || !Character.isLetterOrDigit(text.charAt(ve)));
                    if (clean) {
                        out.add(new Finding("IP_ADDRESS", vs, ve, 0.6, name()));
                    }
                }
            }
        }
        return out;
    }

    private static int dots(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '.') n++;
        return n;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (!Character.isDigit(p.charAt(i))) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    static boolean isIpv6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) return false;
        if (s.contains(":::")) return false;
        String head = dc >= 0 ? s.substring(0, dc) : s;
        String tail = dc >= 0 ? s.substring(dc + 2) : "";
        int groups = 0;
        List<String> all = new ArrayList<>();
        if (!head.isEmpty()) all.addAll(List.of(head.split(":", -1)));
        if (!tail.isEmpty()) all.addAll(List.of(tail.split(":", -1)));
        for (int i = 0; i < all.size(); i++) {
            String g = all.get(i);
            if (g.indexOf('.') >= 0) {
                if (i != all.size() - 1 || !isIpv4(g)) return false;
                groups += 2;
            } else {
                if (g.isEmpty() || g.length() > 4) return false;
                for (int k = 0; k < g.length(); k++) if (Character.digit(g.charAt(k), 16) < 0) return false;
                groups++;
            }
        }
        return dc >= 0 ? groups <= 7 : groups == 8;
    }
}
