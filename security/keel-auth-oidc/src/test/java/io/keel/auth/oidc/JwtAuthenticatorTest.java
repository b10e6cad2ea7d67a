package io.keel.auth.oidc;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuthenticationException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
    private static final OidcConfig.Claims CLAIMS = new OidcConfig.Claims("org_id", "preferred_username", "keel_roles", "groups");

    @TempDir
    Path dir;
    private RSAKey rsa;
    private ECKey ec;
    private JwtAuthenticator auth;

    @BeforeEach
    void setUp() throws Exception {
        rsa = Tokens.rsa("rsa-1");
        ec = Tokens.ec("ec-1");
        auth = authenticator(jwksFile(new JWKSet(List.of(rsa, ec))), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Path jwksFile(JWKSet set) throws Exception {
        Path f = dir.resolve("jwks.json");
        Files.writeString(f, set.toPublicJWKSet().toString());
        return f;
    }

    private static JwtAuthenticator authenticator(Path jwks, Clock clock) {
        return new JwtAuthenticator(new OidcConfig(Tokens.ISSUER, Tokens.AUDIENCE, jwks, null, Duration.ofSeconds(30),
                Duration.ZERO, CLAIMS), clock);
    }

    @Test
    void rs256AndEs256TokensMapToThePrincipal() {
        for (var key : List.of(rsa, ec)) {
            Principal p = auth.authenticate(Tokens.sign(key, Tokens.claims(NOW).build())).orElseThrow();
            assertThat(p.id()).isEqualTo("u-123");
            assertThat(p.tenant()).isEqualTo("acme");
            assertThat(p.user()).isEqualTo("alice");
            assertThat(p.roles()).containsExactly(Role.APP);
            assertThat(p.groups()).containsExactly("finance");
        }
    }

    @Test
    void aRememberedTokenIsStillRefusedOnceExpiredOrBeforeItsTime() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock moving = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        JwtAuthenticator a = authenticator(jwksFile(new JWKSet(List.of(rsa, ec))), moving);
        String token = Tokens.sign(ec, Tokens.claims(NOW).build());
        assertThat(a.authenticate(token)).isPresent();
        assertThat(a.authenticate(token)).isPresent();
        now.set(NOW.plusSeconds(600 + 31));
        assertRefused(a, token, "expired");
        String later = Tokens.sign(ec, Tokens.claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(20))).build());
        now.set(NOW);
        assertThat(a.authenticate(later)).isPresent();
        now.set(NOW.minusSeconds(11));
        assertRefused(a, later, "not valid before");
    }

    @Test
    void apiKeysAndOtherCredentialsAreNotMine() {
        assertThat(auth.authenticate("keel_live_0123456789ab_secretsecretsecret")).isEmpty();
        assertThat(auth.authenticate("not-a-token")).isEmpty();
    }

    @Test
    void withinTheClockSkewIsAccepted() {
        String token = Tokens.sign(rsa, Tokens.claims(NOW).expirationTime(Date.from(NOW.minusSeconds(20))).build());
        assertThat(auth.authenticate(token)).isPresent();
        String early = Tokens.sign(rsa, Tokens.claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(20))).build());
        assertThat(auth.authenticate(early)).isPresent();
    }

    @Test
    void invalidTokensAre401WithTheReason() {
        RSAKey stranger = Tokens.rsa("rsa-1");
        assertRefused(Tokens.sign(stranger, Tokens.claims(NOW).build()), "signature is invalid");
        assertRefused(Tokens.sign(rsa, Tokens.claims(NOW).issuer("https://evil.test").build()), "issuer");
        assertRefused(Tokens.sign(rsa, Tokens.claims(NOW).audience("someone-else").build()), "audience");
        assertRefused(Tokens.sign(rsa, Tokens.claims(NOW).expirationTime(Date.from(NOW.minusSeconds(31))).build()), "expired");
        assertRefused(Tokens.sign(rsa, Tokens.claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(31))).build()), "not valid before");
        assertRefused(Tokens.sign(rsa, Tokens.claims(NOW).expirationTime(null).build()), "no expiry");
        assertRefused(Tokens.sign(Tokens.rsa("rsa-9"), Tokens.claims(NOW).build()), "key id 'rsa-9'");
        assertRefused(new PlainJWT(Tokens.claims(NOW).build()).serialize(), "alg none");
        assertRefused(Tokens.sign(rsa, Tokens.claims(NOW).claim("org_id", null).build()), "no tenant claim 'org_id'");
        String[] parts = Tokens.sign(rsa, Tokens.claims(NOW).build()).split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                Tokens.claims(NOW).claim("org_id", "globex").build().toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefused(forged, "signature is invalid");
    }

    @Test
    void aKeyOfTheWrongTypeForTheAlgorithmIsRefused() {
        // an ES256 header naming the RSA key's id
        ECKey mislabelled = new ECKey.Builder(ec).keyID("rsa-1").build();
        assertRefused(Tokens.sign(mislabelled, Tokens.claims(NOW).build()), "does not match the type of key");
    }

    @Test
    void aTokenWithNoKeelRoleIs403() {
        String token = Tokens.sign(rsa, Tokens.claims(NOW).claim("keel_roles", List.of("offline_access", "uma")).build());
        assertThatThrownBy(() -> auth.authenticate(token)).isInstanceOf(KeelException.class)
                .isNotInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessageContaining("carries no Keel role").hasMessageContaining("keel_roles");
    }

    @Test
    void nestedClaimsAndSpaceSeparatedRoles() throws Exception {
        JwtAuthenticator keycloak = new JwtAuthenticator(new OidcConfig(Tokens.ISSUER, Tokens.AUDIENCE, jwksFile(new JWKSet(rsa)),
                null, Duration.ZERO, Duration.ZERO, new OidcConfig.Claims("org_id", "sub", "realm_access.roles", "groups")),
                Clock.fixed(NOW, ZoneOffset.UTC));
        String token = Tokens.sign(rsa, Tokens.claims(NOW)
                .claim("realm_access", java.util.Map.of("roles", List.of("developer", "viewer"))).build());
        assertThat(keycloak.authenticate(token).orElseThrow().roles()).isEqualTo(Set.of(Role.DEVELOPER, Role.VIEWER));
    }

    @Test
    void aRotatedJwksServedOverHttpIsPickedUpOnTheUnknownKid() throws Exception {
        AtomicReference<JWKSet> served = new AtomicReference<>(new JWKSet(rsa).toPublicJWKSet());
        AtomicInteger fetches = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/jwks", ex -> {
            fetches.incrementAndGet();
            byte[] body = served.get().toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/jwks");
            JwtAuthenticator remote = new JwtAuthenticator(new OidcConfig(Tokens.ISSUER, Tokens.AUDIENCE, null, url,
                    Duration.ZERO, Duration.ZERO, CLAIMS), Clock.fixed(NOW, ZoneOffset.UTC));
            assertThat(remote.authenticate(Tokens.sign(rsa, Tokens.claims(NOW).build()))).isPresent();
            assertThat(remote.authenticate(Tokens.sign(rsa, Tokens.claims(NOW).build()))).isPresent();
            assertThat(fetches.get()).as("known keys are served from the cache").isEqualTo(1);

            RSAKey next = Tokens.rsa("rsa-2");
            String rotated = Tokens.sign(next, Tokens.claims(NOW).build());
            assertThatThrownBy(() -> remote.authenticate(rotated)).hasMessageContaining("key id 'rsa-2'");
            served.set(new JWKSet(List.of(rsa, next)).toPublicJWKSet());
            assertThat(remote.authenticate(rotated).orElseThrow().tenant()).isEqualTo("acme");
            assertThat(fetches.get()).isEqualTo(3);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void unknownKidReloadsAreRateLimited() throws Exception {
        Path jwks = jwksFile(new JWKSet(rsa));
        JwtAuthenticator limited = new JwtAuthenticator(new OidcConfig(Tokens.ISSUER, Tokens.AUDIENCE, jwks, null,
                Duration.ZERO, Duration.ofHours(1), CLAIMS), Clock.fixed(NOW, ZoneOffset.UTC));
        RSAKey next = Tokens.rsa("rsa-2");
        jwksFile(new JWKSet(List.of(rsa, next)));
        // loaded at construction less than an hour ago: the new key is not fetched yet
        assertRefused(limited, Tokens.sign(next, Tokens.claims(NOW).build()), "key id 'rsa-2'");
    }

    private void assertRefused(String token, String reason) {
        assertRefused(auth, token, reason);
    }

    private static void assertRefused(JwtAuthenticator a, String token, String reason) {
        assertThatThrownBy(() -> a.authenticate(token)).as(reason).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(reason);
    }
}
