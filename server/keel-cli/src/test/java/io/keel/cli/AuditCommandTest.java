package io.keel.cli;

import io.keel.core.answer.Caller;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestRecord;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.SqlRequestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel audit verify|list} and {@code keel requests purge} on a real SQLite store in a data directory. */
class AuditCommandTest {
    @TempDir
    Path dir;

    private Database open() {
        return Database.sqlite(dir.resolve("data").resolve("keel.db"));
    }

    @Test
    void verifyListAndPurgeFromTheCommandLine() {
        try (Database db = open(); SqlRequestStore store = new SqlRequestStore(db)) {
            SqlAuditLog log = new SqlAuditLog(db);
            for (int i = 1; i <= 5; i++) {
                log.append(AuditEvent.of(new AuditActor("acme", "u" + i), i % 2 == 0 ? AuditEvent.KEY_CREATED : AuditEvent.MODEL_PROMOTED,
                        "t" + i, Map.of("i", i)));
            }
            for (String user : new String[]{"bob", "bob", "carol"}) {
                store.record(RequestRecord.builder("req-" + user + System.nanoTime(), "query").time(Instant.now())
                        .caller(new Caller("acme", user, null, null)).status("ok").question("q").build());
            }
        }
        String data = dir.resolve("data").toString();

        CliRun ok = run("audit", "verify", "--data", data);
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("5 entries, chain intact").containsPattern("head [0-9a-f]{64}");

        CliRun list = run("audit", "list", "--action", "key.created", "--limit", "1", "--data", data);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("acme/u4").contains("key.created").doesNotContain("acme/u2").doesNotContain("model.promoted");

        CliRun purge = run("requests", "purge", "--user", "bob", "--tenant", "acme", "--actor", "dpo", "--data", data);
        assertThat(purge.exit()).as(purge.err()).isZero();
        assertThat(purge.out()).contains("purged 2 request record(s)");
        CliRun everything = run("requests", "purge", "--data", data);
        assertThat(everything.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(everything.err()).contains("--user").contains("--before");
        CliRun purges = run("audit", "list", "--action", "requests.purged", "--data", data);
        assertThat(purges.out()).contains("default/dpo").contains("\"count\":2").contains("\"user\":\"bob\"");
        try (Database db = open(); SqlRequestStore store = new SqlRequestStore(db)) {
            assertThat(store.find(RequestFilter.all())).extracting(r -> r.caller().user()).containsExactly("carol");
        }
        assertThat(run("audit", "verify", "--data", data).out()).contains("6 entries, chain intact");

        try (Database db = open()) {
            db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TRIGGER audit_log_no_update");
                    return s.executeUpdate("UPDATE audit_log SET details = '{\"i\":30}' WHERE seq = 3");
                }
            });
        }
        CliRun broken = run("audit", "verify", "--data", data);
        assertThat(broken.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(broken.err()).contains("entry 3").contains("altered");
    }

    @Test
    void registryChangesMadeAtTheCommandLineAreAudited() throws Exception {
        Path model = java.nio.file.Files.writeString(dir.resolve("model.yaml"), """
                name: cli-llm
                provider: openai
                model: gpt-4o-mini
                endpoints: [http://127.0.0.1:9/v1]
                price: {input_per_1m: 0.15, output_per_1m: 0.6}
                """);
        String data = dir.resolve("data").toString();
        assertThat(run("models", "register", model.toString(), "--actor", "ops", "--data", data).exit()).isZero();
        CliRun promote = run("models", "promote", "cli-llm", "1", "--stage", "production", "--actor", "ops", "--data", data);
        assertThat(promote.exit()).as(promote.err()).isZero();
        CliRun list = run("audit", "list", "--since", "2020-01-01", "--data", data);
        assertThat(list.out()).contains("model.registered").contains("model.promoted").contains("default/ops").contains("model:cli-llm@1");
        assertThat(run("audit", "verify", "--data", data).out()).contains("2 entries, chain intact");
    }
}
