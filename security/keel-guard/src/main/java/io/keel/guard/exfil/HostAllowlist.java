package io.keel.guard.exfil;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Hosts an answer may link to or load images from. An entry is an exact host ({@code docs.example.com}) or a
 * wildcard for a domain and all its subdomains ({@code *.example.com}).
 */
public record HostAllowlist(List<String> entries) {
    public static final HostAllowlist NONE = new HostAllowlist(List.of());

    public HostAllowlist {
        entries = entries.stream().map(e -> e.strip().toLowerCase(Locale.ROOT)).toList();
    }

    public boolean allows(String url) {
        String host;
        try {
            host = URI.create(url.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) return false;
        host = host.toLowerCase(Locale.ROOT);
        for (String e : entries) {
            if (e.startsWith("*.")) {
                String domain = e.substring(2);
                if (host.equals(domain) || host.endsWith("." + domain)) return true;
            } else if (host.equals(e)) {
                return true;
            }
        }
        return false;
    }
}
