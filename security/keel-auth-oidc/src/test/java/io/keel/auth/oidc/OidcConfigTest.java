package io.keel.auth.oidc;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OidcConfigTest {
    private static ConfigNode oidc(Map<String, Object> section) {
        return ConfigNode.root(Map.of("auth", Map.of("oidc", section)), Map.of()).child("auth").child("oidc");
    }

    @Test
    void readsEveryKey() {
        OidcConfig c = OidcConfig.from(oidc(Map.of("issuer", "https://idp.test", "audience", "keel",
                "jwks_url", "https://idp.test/certs", "clock_skew", "15s", "jwks_refresh", "1m",
                "claims", Map.of("tenant", "org_id", "roles", "realm_access.roles"))));
        assertThat(c).isEqualTo(new OidcConfig("https://idp.test", "keel", null, URI.create("https://idp.test/certs"),
                Duration.ofSeconds(15), Duration.ofMinutes(1), new OidcConfig.Claims("org_id", "sub", "realm_access.roles", "groups")));
    }

    @Test
    void absentIsNone() {
        assertThat(OidcConfig.from(oidc(Map.of()))).isNull();
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> OidcConfig.from(oidc(Map.of("issuer", "https://idp.test", "jwks_file", "/k.json"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("auth.oidc.audience");
        assertThatThrownBy(() -> OidcConfig.from(oidc(Map.of("issuer", "https://idp.test", "audience", "keel"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("jwks_url");
        assertThatThrownBy(() -> OidcConfig.from(oidc(Map.of("issuer", "https://idp.test", "audience", "keel",
                "jwks_file", "/k.json", "jwks_url", "https://idp.test/certs")))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> OidcConfig.from(oidc(Map.of("issuer", "i", "audience", "keel", "jwks_url", "ftp://x"))))
                .hasMessageContaining("auth.oidc.jwks_url");
        assertThatThrownBy(() -> new JwtAuthenticator(new OidcConfig("i", "keel", Path.of("/nonexistent/jwks.json"), null,
                null, null, null), java.time.Clock.systemUTC())).hasMessageContaining("auth.oidc.jwks_file");
    }
}
