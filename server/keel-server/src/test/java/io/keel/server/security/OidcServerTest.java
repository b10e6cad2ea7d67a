package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.http.HttpJson;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.ProgressListener;
import io.keel.ingest.parse.DocumentDefaults;
import io.keel.server.KeelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC bearer tokens on a running server: the JWKS is served over loopback as an identity provider would, the tokens
 * are signed with keys generated here, {@code auth.enabled: auto} turns on because {@code auth.oidc} is configured,
 * and API keys keep working next to tokens.
 */
class OidcServerTest {
    private static final String ISSUER = "https://idp.example.test/realms/acme";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KeelServer server;
    private static HttpServer idp;
    private static RSAKey rsa;
    private static ECKey ec;
    private static String apiKey;

    @BeforeAll
    static void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        byte[] jwks = new JWKSet(List.of(rsa, ec)).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
        idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        idp.createContext("/certs", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        idp.start();

        Path dir = Files.createTempDirectory("keel-oidc-test");
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("refunds.md"), "# Refunds\n\nAcme refunds orders within thirty days of delivery.");
        Files.writeString(b.resolve("refunds.md"), "# Refunds\n\nGlobex refunds orders within ninety days of delivery.");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "auth", Map.of("oidc", Map.of("issuer", ISSUER, "audience", "keel",
                        "jwks_url", "http://127.0.0.1:" + idp.getAddress().getPort() + "/certs", "clock_skew", "30s",
                        "claims", Map.of("tenant", "org_id", "user", "preferred_username", "roles", "keel_roles")))), Map.of());
        assertThat(config.auth().enabled()).isEqualTo("auto");
        Keel keel = Keel.open(config);
        keel.ingest(List.of(a), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("acme", List.of(), Map.of())), ProgressListener.NONE);
        keel.ingest(List.of(b), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("globex", List.of(), Map.of())), ProgressListener.NONE);
        apiKey = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC())
                .create(new ApiKeyManager.Spec("globex", Role.APP, null, null, Set.of(), Set.of(), 0)).secret();
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (idp != null) idp.stop(0);
    }

    private static JWTClaimsSet.Builder claims(String role) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience("keel").subject("u-1").claim("preferred_username", "alice")
                .claim("org_id", "acme").claim("keel_roles", List.of(role)).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String rs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    private static String es256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims);
        jwt.sign(new ECDSASigner(ec));
        return jwt.serialize();
    }

    @Test
    void aValidTokenRetrievesOnlyItsTenantsDocuments() throws Exception {
        for (String token : List.of(rs256(claims("app").build()), es256(claims("app").build()))) {
            HttpResponse<String> r = send(token, "POST", "/v1/retrieve", "{\"query\":\"refunds\",\"top_k\":10}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<String> texts = new ArrayList<>();
            json(r).get("results").forEach(h -> texts.add(h.get("text").asText()));
            assertThat(texts).isNotEmpty().allMatch(t -> t.contains("Acme"));
        }
    }

    @Test
    void aRoleTheRouteDoesNotAllowIs403() throws Exception {
        HttpResponse<String> r = send(rs256(claims("app").build()), "GET", "/v1/requests", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("u-1").contains("allowed roles");
        HttpResponse<String> dev = send(rs256(claims("developer").build()), "GET", "/v1/requests", null);
        assertThat(dev.statusCode()).as(dev.body()).isEqualTo(200);
    }

    @Test
    void aTokenWithNoKeelRoleIs403() throws Exception {
        HttpResponse<String> r = send(rs256(claims("offline_access").build()), "POST", "/v1/retrieve", "{\"query\":\"refunds\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("carries no Keel role");
    }

    @Test
    void invalidTokensAre401WithTheReason() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        Map<String, String> cases = Map.of(
                "expired", rs256(claims("app").expirationTime(Date.from(past)).build()),
                "issuer", rs256(claims("app").issuer("https://evil.test").build()),
                "audience", rs256(claims("app").audience("other").build()),
                "no tenant claim 'org_id'", rs256(claims("app").claim("org_id", null).build()),
                "signature is invalid", forged());
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = send(c.getValue(), "POST", "/v1/retrieve", "{\"query\":\"refunds\"}");
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(401);
            assertThat(r.body()).contains(c.getKey());
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(send(null, "POST", "/v1/retrieve", "{\"query\":\"refunds\"}").statusCode())
                .as("auth.enabled auto is on with auth.oidc").isEqualTo(401);
    }

    private static String forged() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims("admin").build());
        jwt.sign(new RSASSASigner(stranger));
        return jwt.serialize();
    }

    @Test
    void apiKeysStillWorkNextToTokens() throws Exception {
        HttpResponse<String> r = send(apiKey, "POST", "/v1/retrieve", "{\"query\":\"refunds\",\"top_k\":10}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> texts = new ArrayList<>();
        json(r).get("results").forEach(h -> texts.add(h.get("text").asText()));
        assertThat(texts).isNotEmpty().allMatch(t -> t.contains("Globex"));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return HttpJson.MAPPER.readTree(r.body());
    }

    private static HttpResponse<String> send(String bearer, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
