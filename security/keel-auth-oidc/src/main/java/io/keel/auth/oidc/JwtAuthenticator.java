package io.keel.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuthenticationException;
import io.keel.core.security.Authenticator;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates OIDC / JWT bearer tokens: an RS256 or ES256 signature checked against the issuer's JWKS
 * ({@link JwksSource}), {@code iss} and {@code aud}, {@code exp} and {@code nbf} with a clock skew, then the
 * configured claims mapped to the caller's tenant, user, roles and ACL groups.
 *
 * <p>A credential that is not shaped like a JWT (an API key) is not this authenticator's: it answers empty so the
 * next authenticator is asked. Any other failure is a 401 naming the check that failed, except a valid token carrying
 * no Keel role, which is a 403.
 *
 * <p>A token that passed every check is remembered for up to a minute (at most {@value #MAX_CACHED} tokens), so a
 * client reusing it costs a map lookup and the time checks rather than a signature check (ES256 verification takes
 * a few hundred microseconds); {@code exp} and {@code nbf} are still checked against the clock on every request.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int MAX_CACHED = 10_000;
    private static final Duration HOLD = Duration.ofMinutes(1);

    private final OidcConfig config;
    private final Clock clock;
    private final JwksSource jwks;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token that passed every check, valid in {@code [notBefore, expires]} (skew included), held until {@code until}. */
    private record Verified(Principal principal, Instant notBefore, Instant expires, Instant until) {
        boolean holds(Instant now) {
            return now.isBefore(until) && !now.isAfter(expires) && !now.isBefore(notBefore);
        }
    }

    public JwtAuthenticator(OidcConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jwks = new JwksSource(config.jwksFile(), config.jwksUrl(), config.jwksRefresh().toNanos());
    }

    /** The issuer this authenticator accepts tokens of. */
    public String issuer() {
        return config.issuer();
    }

    /** Whether {@code bearer} is shaped like a compact JWT: three base64url parts, the first a JSON object. */
    static boolean looksLikeJwt(String bearer) {
        if (bearer == null || !bearer.startsWith("eyJ")) return false;
        int dots = 0;
        for (int i = 0; i < bearer.length(); i++) {
            char c = bearer.charAt(i);
            if (c == '.') dots++;
            else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return false;
        }
        return dots == 2;
    }

    @Override
    public Optional<Principal> authenticate(String bearer) {
        if (!looksLikeJwt(bearer)) return Optional.empty();
        Verified known = verified.get(bearer);
        if (known != null) {
            if (known.holds(clock.instant())) return Optional.of(known.principal());
            verified.remove(bearer);
        }
        SignedJWT jwt = signed(bearer);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ACCEPTED.contains(alg)) {
            throw new AuthenticationException("token algorithm " + alg + " is not accepted; use RS256 or ES256");
        }
        JWK key = jwks.key(jwt.getHeader().getKeyID());
        verify(jwt, alg, key);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthenticationException("token claims are not a JSON object");
        }
        checkTimes(claims);
        if (!config.issuer().equals(claims.getIssuer())) {
            throw new AuthenticationException("token issuer '" + claims.getIssuer() + "' is not the configured issuer '"
                    + config.issuer() + "' (auth.oidc.issuer)");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(config.audience())) {
            throw new AuthenticationException("token audience " + aud + " does not include '" + config.audience()
                    + "' (auth.oidc.audience)");
        }
        Principal principal = principal(claims);
        remember(bearer, principal, claims);
        return Optional.of(principal);
    }

    private void remember(String bearer, Principal principal, JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date nbf = claims.getNotBeforeTime();
        if (verified.size() >= MAX_CACHED) verified.clear();
        verified.put(bearer, new Verified(principal, nbf == null ? Instant.MIN : nbf.toInstant().minus(config.clockSkew()),
                claims.getExpirationTime().toInstant().plus(config.clockSkew()), now.plus(HOLD)));
    }

    private static SignedJWT signed(String bearer) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(bearer);
        } catch (ParseException e) {
            throw new AuthenticationException("malformed token: " + e.getMessage());
        }
        if (!(parsed instanceof SignedJWT s)) {
            throw new AuthenticationException("unsigned or encrypted tokens (alg " + parsed.getHeader().getAlgorithm()
                    + ") are not accepted; use RS256 or ES256");
        }
        return s;
    }

    private static void verify(SignedJWT jwt, JWSAlgorithm alg, JWK key) {
        boolean ok;
        try {
            JWSVerifier verifier;
            if (alg.equals(JWSAlgorithm.RS256) && key instanceof RSAKey rsa) verifier = new RSASSAVerifier(rsa);
            else if (alg.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec) verifier = new ECDSAVerifier(ec);
            else throw new AuthenticationException("token algorithm " + alg + " does not match the type of key '"
                        + key.getKeyID() + "' (" + key.getKeyType() + ")");
            ok = jwt.verify(verifier);
        } catch (JOSEException e) {
            throw new AuthenticationException("token signature cannot be checked: " + e.getMessage());
        }
        if (!ok) throw new AuthenticationException("token signature is invalid");
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) throw new AuthenticationException("token has no expiry (exp)");
        if (now.isAfter(exp.toInstant().plus(config.clockSkew()))) {
            throw new AuthenticationException("token expired at " + exp.toInstant() + " (clock skew " + config.clockSkew() + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(config.clockSkew()).isBefore(nbf.toInstant())) {
            throw new AuthenticationException("token is not valid before " + nbf.toInstant() + " (clock skew " + config.clockSkew() + ")");
        }
    }

    private Principal principal(JWTClaimsSet claims) {
        OidcConfig.Claims names = config.claims();
        String tenant = config.tenant() != null ? config.tenant() : single(claims, names.tenant());
        if (tenant == null) {
            throw new AuthenticationException("token has no tenant claim '" + names.tenant() + "' (auth.oidc.claims.tenant)");
        }
        String user = single(claims, names.user());
        String subject = claims.getSubject() != null ? claims.getSubject() : user;
        if (subject == null) throw new AuthenticationException("token has no subject (sub)");
        Set<Role> roles = new LinkedHashSet<>();
        for (String r : many(claims, names.roles())) {
            try {
                roles.add(Role.parse(r));
            } catch (KeelException unknown) {
                // a role of another application in the same token: not Keel's
            }
        }
        if (roles.isEmpty()) {
            throw new KeelException(ErrorCode.FORBIDDEN, "token for '" + subject + "' carries no Keel role (admin, developer, "
                    + "app, viewer) in claim '" + names.roles() + "' (auth.oidc.claims.roles)");
        }
        return new Principal(subject, tenant, user, roles, Set.copyOf(many(claims, names.groups())), Set.of(), null);
    }

    private static Object claim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        if (v != null || !name.contains(".")) return v;
        Object at = claims.getClaims();
        for (String part : name.split("\\.")) {
            if (!(at instanceof Map<?, ?> m)) return null;
            at = m.get(part);
        }
        return at;
    }

    private static String single(JWTClaimsSet claims, String name) {
        Object v = claim(claims, name);
        if (v instanceof List<?> l) v = l.size() == 1 ? l.getFirst() : null;
        if (v == null || v instanceof Map<?, ?>) return null;
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? null : s;
    }

    private static List<String> many(JWTClaimsSet claims, String name) {
        Object v = claim(claims, name);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l.stream().filter(Objects::nonNull).map(String::valueOf).toList();
        if (v instanceof String s) return List.of(s.split("[\\s,]+")).stream().filter(x -> !x.isBlank()).toList();
        return List.of(String.valueOf(v));
    }
}
