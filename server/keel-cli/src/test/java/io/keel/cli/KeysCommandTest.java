package io.keel.cli;

import io.keel.core.security.ApiKeyAuthenticator;
import io.keel.core.security.AuthenticationException;
import io.keel.core.security.Principal;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlApiKeyStore;
import io.keel.store.sql.SqlAuditLog;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditQuery;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code keel keys} on the data directory's SQLite store: create prints the secret once, list never does, rotate and revoke. */
class KeysCommandTest {
    @TempDir
    Path dir;

    @Test
    void createListRotateRevoke() {
        String data = dir.resolve("data").toString();
        CliRun created = run("keys", "create", "--tenant", "acme", "--role", "app", "--name", "web", "--groups", "eng,ops",
                "--expires", "90d", "--rpm", "60", "--data", data);
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.out().strip();
        assertThat(secret).matches("keel_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        String id = secret.substring(0, 22);
        assertThat(created.err()).contains(id).contains("shown only now");

        CliRun list = run("keys", "list", "--data", data);
        assertThat(list.out()).contains(id).contains("acme").contains("app").contains("eng,ops").doesNotContain(secret);

        CliRun rotated = run("keys", "rotate", id, "--grace", "1h", "--data", data);
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String fresh = rotated.out().strip();
        assertThat(fresh).startsWith("keel_live_").isNotEqualTo(secret);

        assertThat(run("keys", "revoke", id, "--actor", "carol", "--data", data).exit()).isZero();
        try (Database db = Database.sqlite(dir.resolve("data").resolve("keel.db"))) {
            List<AuditEntry> audit = new SqlAuditLog(db).find(AuditQuery.latest()).reversed();
            assertThat(audit).extracting(e -> e.event().action()).containsExactly("key.created", "key.rotated", "key.revoked");
            assertThat(audit).extracting(e -> e.event().target()).containsOnly("key:" + id);
            assertThat(audit.get(2).event().actor().id()).isEqualTo("carol");
            assertThat(audit.get(0).event().actor().id()).isEqualTo(System.getProperty("user.name"));
            assertThat(audit.toString()).doesNotContain(secret.substring(23)).doesNotContain(fresh.substring(23));
            ApiKeyAuthenticator auth = new ApiKeyAuthenticator(new SqlApiKeyStore(db), Duration.ZERO, Duration.ZERO, Clock.systemUTC());
            assertThrows(AuthenticationException.class, () -> auth.authenticate(secret));
            Principal p = auth.authenticate(fresh).orElseThrow();
            assertThat(p.tenant()).isEqualTo("acme");
            assertThat(p.groups()).containsExactlyInAnyOrder("eng", "ops");
        }
    }

    @Test
    void createStoresTheKeysLimits() {
        String data = dir.resolve("data").toString();
        CliRun created = run("keys", "create", "--role", "app", "--tpm", "5000", "--max-parallel", "4", "--budget", "12.5",
                "--budget-period", "day", "--models", "gpt-small,rag:default", "--collections", "kb", "--data", data);
        assertThat(created.exit()).as(created.err()).isZero();
        try (Database db = Database.sqlite(dir.resolve("data").resolve("keel.db"))) {
            io.keel.core.security.Principal.Limits l = new SqlApiKeyStore(db).list().getFirst().limits();
            assertThat(l.tokensPerMinute()).isEqualTo(5000);
            assertThat(l.maxParallel()).isEqualTo(4);
            assertThat(l.budget().period()).isEqualTo(io.keel.core.budget.Budget.Period.DAY);
            assertThat(l.budget().limitUsd()).isEqualByComparingTo("12.5");
            assertThat(l.allowedModels()).containsExactlyInAnyOrder("gpt-small", "rag:default");
            assertThat(l.allowedCollections()).containsExactly("kb");
        }
        CliRun period = run("keys", "create", "--role", "app", "--budget", "1", "--budget-period", "week", "--data", data);
        assertThat(period.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(period.err()).contains("day or month");
    }

    @Test
    void badInputIsAUsageErrorWithAHint() {
        String data = dir.resolve("data").toString();
        CliRun role = run("keys", "create", "--role", "root", "--data", data);
        assertThat(role.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(role.err()).contains("admin, developer, app, viewer");
        CliRun expires = run("keys", "create", "--role", "app", "--expires", "soon", "--data", data);
        assertThat(expires.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("keys", "revoke", "keel_live_000000000000", "--data", data).exit()).isEqualTo(ExitCodes.FAILED);
    }
}
