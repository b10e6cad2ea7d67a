package io.keel.auth.oidc;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * OIDC / JWT bearer token settings ({@code auth.oidc.*}).
 *
 * @param issuer       the exact {@code iss} every token must carry
 * @param audience     a value the token's {@code aud} must contain
 * @param jwksFile     the issuer's signing keys as a JWKS file, or null
 * @param jwksUrl      the issuer's JWKS endpoint, or null; exactly one of the two is set
 * @param clockSkew    how far {@code exp} and {@code nbf} may be off (default 60 s)
 * @param jwksRefresh  the shortest time between two JWKS reloads caused by an unknown {@code kid} (default 30 s), so
 *                     a flood of made-up key ids cannot hammer the issuer
 * @param claims       which claims carry tenant, user, roles and groups
 * @param tenant       the tenant of every token of this issuer, whatever its claims say (an identity provider that
 *                     serves one customer then cannot issue tokens for another), or null to read {@code claims.tenant}
 */
public record OidcConfig(String issuer, String audience, Path jwksFile, URI jwksUrl, Duration clockSkew,
                         Duration jwksRefresh, Claims claims, String tenant) {
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

    public OidcConfig {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        if ((jwksFile == null) == (jwksUrl == null)) {
            throw KeelException.invalid("auth.oidc needs exactly one of jwks_file and jwks_url");
        }
        clockSkew = clockSkew == null ? DEFAULT_SKEW : clockSkew;
        jwksRefresh = jwksRefresh == null ? DEFAULT_REFRESH : jwksRefresh;
        claims = claims == null ? Claims.DEFAULTS : claims;
        if (tenant != null && tenant.isBlank()) tenant = null;
    }

    /** An issuer whose tokens name their tenant in {@code claims.tenant}. */
    public OidcConfig(String issuer, String audience, Path jwksFile, URI jwksUrl, Duration clockSkew, Duration jwksRefresh,
                      Claims claims) {
        this(issuer, audience, jwksFile, jwksUrl, clockSkew, jwksRefresh, claims, null);
    }

    /**
     * Claim names; a dotted name walks into nested objects ({@code realm_access.roles}).
     *
     * @param tenant required in every token; a token without it is refused (401)
     * @param user   the end user ({@code sub} by default)
     * @param roles  a string or a list of Keel role names ({@code admin}, {@code developer}, {@code app},
     *               {@code viewer}); names Keel does not know are ignored, and a token with none is refused (403)
     * @param groups a string or a list of ACL groups; optional
     */
    public record Claims(String tenant, String user, String roles, String groups) {
        public static final Claims DEFAULTS = new Claims("tenant", "sub", "roles", "groups");
    }

    /**
     * Every issuer of the {@code auth.oidc} section: the list {@code auth.oidc.issuers} (each item an issuer with its
     * own keys, audience, claim mapping and optional fixed tenant), or the one issuer written directly under
     * {@code auth.oidc}; empty when neither is configured. Two entries for the same {@code issuer} are an error.
     */
    public static List<OidcConfig> all(ConfigNode node) {
        if (node.has("issuers")) {
            for (String k : List.of("issuer", "audience", "jwks_file", "jwks_url", "claims", "tenant")) {
                if (node.has(k)) throw node.error(k, "cannot stand beside auth.oidc.issuers: move it into an item of the list");
            }
            List<OidcConfig> issuers = node.list("issuers", OidcConfig::from);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < issuers.size(); i++) {
                if (!seen.add(issuers.get(i).issuer())) {
                    throw node.error("issuers[" + i + "].issuer", "'" + issuers.get(i).issuer() + "' is listed twice");
                }
            }
            return issuers;
        }
        OidcConfig one = from(node);
        return one == null ? List.of() : List.of(one);
    }

    /** The {@code auth.oidc} section as one issuer, or null when it is absent (no {@code issuer}). */
    public static OidcConfig from(ConfigNode node) {
        if (!node.has("issuer") && !node.has("jwks_file") && !node.has("jwks_url") && !node.has("audience")) {
            return null;
        }
        String issuer = node.requiredString("issuer", "the issuer every token must name in 'iss'");
        String audience = node.requiredString("audience", "the value the tokens' 'aud' must contain, e.g. keel");
        String file = node.string("jwks_file", null);
        URI url = node.has("jwks_url") ? node.httpUrl("jwks_url") : null;
        if ((file == null) == (url == null)) {
            throw node.error("jwks_file", "set exactly one of auth.oidc.jwks_file (a JWKS file) and auth.oidc.jwks_url");
        }
        ConfigNode c = node.child("claims");
        Claims claims = new Claims(c.string("tenant", Claims.DEFAULTS.tenant()), c.string("user", Claims.DEFAULTS.user()),
                c.string("roles", Claims.DEFAULTS.roles()), c.string("groups", Claims.DEFAULTS.groups()));
        return new OidcConfig(issuer, audience, file == null ? null : Path.of(file), url,
                node.duration("clock_skew", DEFAULT_SKEW, Duration.ZERO, Duration.ofHours(1)),
                node.duration("jwks_refresh", DEFAULT_REFRESH, Duration.ZERO, Duration.ofDays(1)), claims,
                node.string("tenant", null));
    }
}
