package io.keel.app.config;

import io.keel.auth.oidc.OidcConfig;
import io.keel.core.config.ConfigNode;

import java.time.Duration;
import java.util.List;

/**
 * Authentication settings ({@code auth.*}).
 *
 * @param enabled           {@code auto} (on as soon as an API key exists, checked at start and every cache TTL, or
 *                          from the start when {@code auth.oidc} is configured; once on it stays on), {@code true}
 *                          (always; with no key every protected route answers 401) or {@code false} (open mode; the
 *                          server then listens on loopback only unless {@code server.insecure})
 * @param cacheTtl          how long a key's record is cached: the longest a revocation takes to reach this instance
 * @param requestsPerMinute default rate limit per key (a key's own limit wins); 0 for none
 * @param oidc              the issuers whose OIDC / JWT bearer tokens are accepted next to API keys
 *                          ({@code auth.oidc} for one, {@code auth.oidc.issuers} for several); empty for none
 */
public record AuthConfig(String enabled, Duration cacheTtl, int requestsPerMinute, List<OidcConfig> oidc) {
    public static final AuthConfig DEFAULTS = new AuthConfig("auto", Duration.ofSeconds(2), 0);

    public AuthConfig {
        oidc = List.copyOf(oidc == null ? List.of() : oidc);
    }

    /** Settings without OIDC. */
    public AuthConfig(String enabled, Duration cacheTtl, int requestsPerMinute) {
        this(enabled, cacheTtl, requestsPerMinute, List.of());
    }

    static AuthConfig from(ConfigNode node) {
        return new AuthConfig(node.choice("enabled", "auto", "auto", "true", "false"),
                node.duration("cache_ttl", Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(1)),
                node.integer("requests_per_minute", 0, 0, 10_000_000), OidcConfig.all(node.child("oidc")));
    }
}
