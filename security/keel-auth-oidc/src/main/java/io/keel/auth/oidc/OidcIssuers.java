package io.keel.auth.oidc;

import com.nimbusds.jwt.JWTParser;
import io.keel.core.security.AuthenticationException;
import io.keel.core.security.Authenticator;
import io.keel.core.security.Principal;

import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OIDC / JWT bearer tokens from several issuers ({@code auth.oidc.issuers}), each with its own keys, audience, claim
 * mapping and optional fixed tenant. A token is routed by its (not yet trusted) {@code iss} claim to the one
 * {@link JwtAuthenticator} configured for that issuer, which then checks everything, the issuer included, against that
 * issuer's keys only: a token signed by one issuer's key can never pass as another's.
 */
public final class OidcIssuers implements Authenticator {
    private final Map<String, JwtAuthenticator> byIssuer = new LinkedHashMap<>();

    public OidcIssuers(List<OidcConfig> issuers, Clock clock) {
        if (issuers.isEmpty()) throw new IllegalArgumentException("at least one issuer");
        for (OidcConfig c : issuers) {
            if (byIssuer.putIfAbsent(c.issuer(), new JwtAuthenticator(c, clock)) != null) {
                throw new IllegalArgumentException("issuer '" + c.issuer() + "' is configured twice");
            }
        }
    }

    @Override
    public Optional<Principal> authenticate(String bearer) {
        if (!JwtAuthenticator.looksLikeJwt(bearer)) return Optional.empty();
        String issuer;
        try {
            issuer = JWTParser.parse(bearer).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new AuthenticationException("malformed token: " + e.getMessage());
        }
        JwtAuthenticator auth = issuer == null ? null : byIssuer.get(issuer);
        if (auth == null) {
            throw new AuthenticationException("token issuer '" + issuer + "' is not one of the configured issuers "
                    + byIssuer.keySet() + " (auth.oidc.issuers)");
        }
        return auth.authenticate(bearer);
    }

    /** The configured issuers, in configuration order. */
    public List<String> issuers() {
        return List.copyOf(byIssuer.keySet());
    }
}
