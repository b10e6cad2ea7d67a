package io.keel.auth.oidc;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.keel.core.config.ConfigNode;
import io.keel.core.security.AuthenticationException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several issuers, each with its own JWKS (files written here from keys generated here), claim mapping and, for one,
 * a fixed tenant: every token maps through its own issuer's configuration, and no issuer's key passes for another.
 */
class OidcIssuersTest {
    private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
    private static final String CORP = "https://login.corp.test/realms/main";
    private static final String PARTNER = "https://idp.partner.test";

    @TempDir
    Path dir;
    private RSAKey corpKey;
    private ECKey partnerKey;
    private OidcIssuers issuers;

    @BeforeEach
    void setUp() throws Exception {
        corpKey = Tokens.rsa("corp-1");
        partnerKey = Tokens.ec("partner-1");
        ConfigNode oidc = ConfigNode.root(Map.of("auth", Map.of("oidc", Map.of("issuers", List.of(
                Map.of("issuer", CORP, "audience", "keel", "jwks_file", jwks("corp.json", new JWKSet(corpKey)).toString(),
                        "claims", Map.of("tenant", "org_id", "user", "preferred_username", "roles", "realm_access.roles")),
                Map.of("issuer", PARTNER, "audience", "keel-partner", "jwks_file", jwks("partner.json", new JWKSet(partnerKey)).toString(),
                        "tenant", "partner-co", "claims", Map.of("roles", "scope", "groups", "teams")))))), Map.of())
                .child("auth").child("oidc");
        List<OidcConfig> configs = OidcConfig.all(oidc);
        assertThat(configs).extracting(OidcConfig::issuer).containsExactly(CORP, PARTNER);
        issuers = new OidcIssuers(configs, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Path jwks(String name, JWKSet set) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, set.toPublicJWKSet().toString());
        return f;
    }

    private static com.nimbusds.jwt.JWTClaimsSet.Builder claims(String issuer, String audience) {
        return new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("s-1")
                .issueTime(java.util.Date.from(NOW)).expirationTime(java.util.Date.from(NOW.plusSeconds(600)));
    }

    @Test
    void eachIssuersTokensMapThroughItsOwnClaims() {
        Principal corp = issuers.authenticate(Tokens.sign(corpKey, claims(CORP, "keel").claim("org_id", "acme")
                .claim("preferred_username", "alice").claim("realm_access", Map.of("roles", List.of("developer"))).build())).orElseThrow();
        assertThat(corp.tenant()).isEqualTo("acme");
        assertThat(corp.user()).isEqualTo("alice");
        assertThat(corp.roles()).containsExactly(Role.DEVELOPER);

        Principal partner = issuers.authenticate(Tokens.sign(partnerKey, claims(PARTNER, "keel-partner")
                .claim("scope", "app openid").claim("teams", List.of("field")).build())).orElseThrow();
        assertThat(partner.tenant()).isEqualTo("partner-co");
        assertThat(partner.roles()).isEqualTo(Set.of(Role.APP));
        assertThat(partner.groups()).containsExactly("field");
    }

    @Test
    void aFixedTenantCannotBeOverriddenByAClaim() {
        Principal p = issuers.authenticate(Tokens.sign(partnerKey, claims(PARTNER, "keel-partner").claim("scope", "app")
                .claim("tenant", "acme").claim("org_id", "acme").build())).orElseThrow();
        assertThat(p.tenant()).isEqualTo("partner-co");
    }

    @Test
    void oneIssuersKeyDoesNotPassForAnotherAndUnknownIssuersAreRefused() {
        // signed by the partner's key but claiming to be the corporate issuer
        assertThatThrownBy(() -> issuers.authenticate(Tokens.sign(partnerKey, claims(CORP, "keel").claim("org_id", "acme")
                .claim("realm_access", Map.of("roles", List.of("admin"))).build(), h -> h.keyID("corp-1"))))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> issuers.authenticate(Tokens.sign(partnerKey, claims(CORP, "keel").claim("org_id", "acme")
                .claim("realm_access", Map.of("roles", List.of("admin"))).build())))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("partner-1");
        // each issuer's own audience
        assertThatThrownBy(() -> issuers.authenticate(Tokens.sign(partnerKey, claims(PARTNER, "keel").claim("scope", "app").build())))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("keel-partner");
        assertThatThrownBy(() -> issuers.authenticate(Tokens.sign(corpKey, claims("https://evil.test", "keel").claim("org_id", "acme").build())))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("https://evil.test")
                .hasMessageContaining("auth.oidc.issuers");
        assertThat(issuers.authenticate("keel_live_0123456789ab_secret")).isEmpty();
    }

    @Test
    void configurationMistakesNameTheKey() {
        ConfigNode twice = ConfigNode.root(Map.of("auth", Map.of("oidc", Map.of("issuers", List.of(
                Map.of("issuer", CORP, "audience", "keel", "jwks_url", "https://a.test/certs"),
                Map.of("issuer", CORP, "audience", "keel", "jwks_url", "https://b.test/certs"))))), Map.of()).child("auth").child("oidc");
        assertThatThrownBy(() -> OidcConfig.all(twice)).hasMessageContaining("auth.oidc.issuers[1].issuer").hasMessageContaining("twice");
        ConfigNode mixed = ConfigNode.root(Map.of("auth", Map.of("oidc", Map.of("issuer", CORP, "issuers", List.of(
                Map.of("issuer", PARTNER, "audience", "keel", "jwks_url", "https://a.test/certs"))))), Map.of()).child("auth").child("oidc");
        assertThatThrownBy(() -> OidcConfig.all(mixed)).hasMessageContaining("auth.oidc.issuer");
        ConfigNode none = ConfigNode.root(Map.of(), Map.of()).child("auth").child("oidc");
        assertThat(OidcConfig.all(none)).isEmpty();
    }
}
