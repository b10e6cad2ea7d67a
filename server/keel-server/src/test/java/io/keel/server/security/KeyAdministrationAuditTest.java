package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditQuery;
import io.keel.core.security.Role;
import io.keel.server.KeelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.keel.server.security.SecurityHttp.json;
import static io.keel.server.security.SecurityHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Creating, rotating and revoking keys over {@code /v1/keys} is audited with the acting credential, never a header. */
class KeyAdministrationAuditTest {
    @TempDir
    Path dir;

    @Test
    void createRotateAndRevokeAreAuditedWithTheActingKeyAndNoSecret() throws Exception {
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "auth", Map.of("enabled", "true")), Map.of());
        try (Keel keel = Keel.open(config)) {
            ApiKeyManager.Created admin = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC())
                    .create(new ApiKeyManager.Spec("ops", Role.ADMIN, "root", null, Set.of(), Set.of(), 0));
            try (KeelServer server = KeelServer.start(keel, config.server().withPort(0))) {
                int port = server.port();
                HttpResponse<String> created = send(port, admin.secret(), "POST", "/v1/keys",
                        "{\"tenant\":\"acme\",\"role\":\"app\",\"name\":\"web\",\"groups\":[\"eng\"]}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                JsonNode key = json(created);
                String id = key.get("id").asText();
                String secret = key.get("key").asText();
                HttpResponse<String> rotated = send(port, admin.secret(), "POST", "/v1/keys/" + id + "/rotate?grace=1h", null);
                assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
                String freshId = json(rotated).get("id").asText();
                assertThat(send(port, admin.secret(), "POST", "/v1/keys/" + freshId + "/revoke", null).statusCode()).isEqualTo(200);
                // an app key may not administer keys, and nothing is audited for the refusal
                assertThat(send(port, secret, "POST", "/v1/keys/" + id + "/revoke", null).statusCode()).isEqualTo(403);

                List<AuditEntry> entries = keel.audit().find(AuditQuery.latest()).reversed();
                assertThat(entries).extracting(e -> e.event().action())
                        .containsExactly(AuditEvent.KEY_CREATED, AuditEvent.KEY_ROTATED, AuditEvent.KEY_REVOKED);
                assertThat(entries).allSatisfy(e -> {
                    assertThat(e.event().actor().tenant()).isEqualTo("ops");
                    assertThat(e.event().actor().id()).isEqualTo(admin.key().id());
                });
                assertThat(entries.get(0).event().target()).isEqualTo("key:" + id);
                assertThat(entries.get(0).event().details()).containsEntry("tenant", "acme").containsEntry("role", "app")
                        .containsEntry("groups", List.of("eng"));
                assertThat(entries.get(1).event().target()).isEqualTo("key:" + id);
                assertThat(entries.get(1).event().details()).containsEntry("replaced_by", freshId);
                assertThat(entries.get(2).event().target()).isEqualTo("key:" + freshId);
                assertThat(entries.toString()).doesNotContain(secret.substring(23)).doesNotContain(json(rotated).get("key").asText().substring(23));
                assertThat(keel.audit().verify().intact()).isTrue();
            }
        }
    }
}
