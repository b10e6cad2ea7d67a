package io.keel.server.security;

import io.keel.app.config.AuthConfig;
import io.keel.app.config.ServerConfig;
import io.keel.core.error.KeelException;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlApiKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where the server listens: loopback in open mode, anywhere once a key exists, never open to the network by accident. */
class ServerSecurityTest {
    @TempDir
    Path dir;

    private static ServerConfig server(String host, boolean insecure) {
        return new ServerConfig(host, 0, 1 << 20, 1 << 24, 8000, insecure);
    }

    @Test
    void openModeListensOnLoopbackAndRefusesOtherAddressesUnlessInsecure() {
        try (Database db = Database.sqlite(dir.resolve("keel.db")); ServerSecurity s = new ServerSecurity(new SqlApiKeyStore(db), AuthConfig.DEFAULTS)) {
            assertThat(s.enabled()).isFalse();
            assertThat(s.bindHost(server(null, false))).isEqualTo("127.0.0.1");
            assertThat(s.bindHost(server("localhost", false))).isEqualTo("localhost");
            KeelException e = assertThrows(KeelException.class, () -> s.bindHost(server("0.0.0.0", false)));
            assertThat(e.getMessage()).contains("keel keys create").contains("server.insecure");
            assertThat(s.bindHost(server("0.0.0.0", true))).isEqualTo("0.0.0.0");
        }
    }

    @Test
    void aKeyTurnsAuthenticationOnAndThenTheServerMayListenEverywhere() throws Exception {
        try (Database db = Database.sqlite(dir.resolve("keel.db"))) {
            SqlApiKeyStore store = new SqlApiKeyStore(db);
            try (ServerSecurity s = new ServerSecurity(store, new AuthConfig("auto", Duration.ofMillis(50), 0))) {
                assertThat(s.enabled()).isFalse();
                new ApiKeyManager(store, Clock.systemUTC()).create(new ApiKeyManager.Spec("acme", Role.ADMIN, null, null, Set.of(), Set.of(), 0));
                Thread.sleep(100);
                assertThat(s.enabled()).as("auto mode notices the first key").isTrue();
                assertThat(s.bindHost(server(null, false))).isEqualTo("0.0.0.0");
                assertThat(s.bindHost(server("0.0.0.0", false))).isEqualTo("0.0.0.0");
            }
            try (ServerSecurity off = new ServerSecurity(store, new AuthConfig("false", Duration.ofSeconds(2), 0))) {
                assertThat(off.enabled()).isFalse();
                assertThrows(KeelException.class, () -> off.bindHost(server("0.0.0.0", false)));
            }
        }
    }
}
