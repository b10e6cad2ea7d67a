package io.keel.registry;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.model.Pricing;
import io.keel.store.sql.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The registry's behaviour, run on SQLite and on PostgreSQL by the subclasses. */
abstract class RegistryContract extends RegistryDatabase {
    ModelRegistry registry;

    @BeforeEach
    void openRegistry() {
        registry = newRegistry();
    }

    ModelRegistry newRegistry() {
        Database db = openDatabase();
        open.add(db);
        return new ModelRegistry(db);
    }

    static Map<String, Object> entry(String name, double temperature) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("provider", "openai");
        m.put("model", "gpt-4o-mini");
        m.put("endpoints", List.of("https://api.openai.com/v1", Map.of("url", "http://vllm-1:8000/v1")));
        m.put("api_key_env", "OPENAI_API_KEY");
        m.put("params", Map.of("temperature", temperature));
        m.put("price", Map.of("input_per_1m", 0.15, "output_per_1m", 0.6));
        m.put("fallback", List.of("claude"));
        return m;
    }

    private ModelVersion register(String name, double temperature) {
        return registry.register(RegisterRequest.of(entry(name, temperature)), "alice");
    }

    @Test
    void registeringTheSameConfigAgainReturnsTheExistingVersion() {
        Registration first = registry.registration(RegisterRequest.of(entry("gpt-small", 0.2)), "alice");
        long generation = registry.generation();

        Map<String, Object> reordered = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(entry("gpt-small", 0.2).keySet());
        for (String k : keys.reversed()) reordered.put(k, entry("gpt-small", 0.2).get(k));
        reordered.put("price", Map.of("output_per_1m", 0.60, "input_per_1m", 0.150));
        Registration again = registry.registration(new RegisterRequest(reordered, "other notes", Stage.PRODUCTION), "bob");

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(1);
        assertThat(again.version().stage()).isEqualTo(Stage.DEVELOPMENT);
        assertThat(registry.generation()).isEqualTo(generation);
        assertThat(registry.model("gpt-small").versions()).hasSize(1);
        assertThat(registry.audit("gpt-small")).extracting(AuditEntry::action).containsExactly(AuditAction.REGISTER);

        ModelVersion v1 = first.version();
        assertThat(v1.ref()).isEqualTo("gpt-small@1");
        assertThat(v1.provider()).isEqualTo("openai");
        assertThat(v1.modelId()).isEqualTo("gpt-4o-mini");
        assertThat(v1.endpoints()).containsExactly("https://api.openai.com/v1", "http://vllm-1:8000/v1");
        assertThat(v1.pricing()).isEqualTo(new Pricing(0.15, 0.6));
        assertThat(v1.params()).containsEntry("temperature", 0.2);
        assertThat(v1.createdBy()).isEqualTo("alice");
        assertThat(v1.config()).isEqualTo(entry("gpt-small", 0.2));
        assertThat(v1.configJson()).startsWith("{\"name\":\"gpt-small\",\"provider\":\"openai\"");

        ModelVersion v2 = register("gpt-small", 0.7);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.stage()).isEqualTo(Stage.DEVELOPMENT);
        assertThat(registry.generation()).isGreaterThan(generation);
    }

    @Test
    void promotionsAndRollbacksAreWrittenToTheAuditLogInTheSameTransaction() {
        Database db = openDatabase();
        open.add(db);
        io.keel.store.sql.SqlAuditLog log = new io.keel.store.sql.SqlAuditLog(db);
        ModelRegistry audited = new ModelRegistry(db).auditTo(log);
        io.keel.core.security.AuditActor ops = new io.keel.core.security.AuditActor("acme", "ops");
        audited.registration(RegisterRequest.of(entry("gpt-audit", 0.1)), ops);
        audited.registration(RegisterRequest.of(entry("gpt-audit", 0.2)), ops);
        audited.promote("gpt-audit", 1, Stage.PRODUCTION, ops, "first");
        audited.promote("gpt-audit", 2, Stage.PRODUCTION, ops, "second");
        audited.rollback("gpt-audit", Stage.PRODUCTION, ops, "bad answers");
        // a refused change leaves neither a registry entry nor an audit entry
        assertThatThrownBy(() -> audited.rollback("gpt-audit", Stage.STAGING, ops, null)).isInstanceOf(KeelException.class);

        List<io.keel.core.security.AuditEntry> entries = log.find(io.keel.core.security.AuditQuery.latest()).reversed();
        assertThat(entries).extracting(e -> e.event().action(), e -> e.event().target()).containsExactly(
                tuple("model.registered", "model:gpt-audit@1"), tuple("model.registered", "model:gpt-audit@2"),
                tuple("model.promoted", "model:gpt-audit@1"),
                tuple("model.promoted", "model:gpt-audit@2"), tuple("model.archived", "model:gpt-audit@1"),
                tuple("model.rolled_back", "model:gpt-audit@1"), tuple("model.archived", "model:gpt-audit@2"));
        assertThat(entries).allSatisfy(e -> assertThat(e.event().actor()).isEqualTo(ops));
        assertThat(entries.get(5).event().details()).containsEntry("from_version", 2).containsEntry("to_version", 1)
                .containsEntry("stage", "production").containsEntry("note", "bad answers");
        assertThat(audited.audit("gpt-audit")).hasSize(7);
        assertThat(log.verify().intact()).isTrue();
        assertThatThrownBy(() -> new ModelRegistry(db).auditTo(new io.keel.store.sql.SqlAuditLog(openDatabaseTracked())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Database openDatabaseTracked() {
        Database db = openDatabase();
        open.add(db);
        return db;
    }

    @Test
    void aNewVersionCanStartInProduction() {
        register("gpt-small", 0.1);
        registry.promote("gpt-small", 1, Stage.PRODUCTION, "alice", null);
        ModelVersion v2 = registry.register(new RegisterRequest(entry("gpt-small", 0.2), "faster", Stage.PRODUCTION), "bob");

        assertThat(v2.stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(v2.notes()).isEqualTo("faster");
        assertThat(registry.version("gpt-small", 1).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.audit("gpt-small")).extracting(AuditEntry::action, AuditEntry::fromVersion, AuditEntry::toVersion, AuditEntry::stage)
                .containsExactly(
                        tuple(AuditAction.REGISTER, null, 1, Stage.DEVELOPMENT),
                        tuple(AuditAction.PROMOTE, null, 1, Stage.PRODUCTION),
                        tuple(AuditAction.REGISTER, null, 2, Stage.DEVELOPMENT),
                        tuple(AuditAction.PROMOTE, 1, 2, Stage.PRODUCTION),
                        tuple(AuditAction.ARCHIVE, null, 1, Stage.ARCHIVED));
    }

    @Test
    void promotingArchivesThePreviousHolderOfTheStage() {
        register("gpt-small", 0.1);
        register("gpt-small", 0.2);
        register("gpt-small", 0.3);
        registry.promote("gpt-small", 1, Stage.PRODUCTION, "alice", "first release");
        registry.promote("gpt-small", 2, Stage.STAGING, "alice", null);
        ModelVersion promoted = registry.promote("gpt-small", 2, Stage.PRODUCTION, "bob", "better answers");
        registry.promote("gpt-small", 3, Stage.STAGING, "bob", null);

        assertThat(promoted.stage()).isEqualTo(Stage.PRODUCTION);
        RegisteredModel m = registry.model("gpt-small");
        assertThat(m.versions()).extracting(ModelVersion::version, ModelVersion::stage)
                .containsExactly(tuple(1, Stage.ARCHIVED), tuple(2, Stage.PRODUCTION), tuple(3, Stage.STAGING));
        assertThat(registry.current("gpt-small", Stage.PRODUCTION)).map(ModelVersion::version).contains(2);
        assertThat(registry.current("gpt-small", Stage.STAGING)).map(ModelVersion::version).contains(3);

        List<AuditEntry> audit = registry.audit("gpt-small");
        assertThat(audit).filteredOn(e -> e.note() != null && e.note().equals("better answers"))
                .extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::fromVersion, AuditEntry::toVersion)
                .containsExactly(tuple("bob", AuditAction.PROMOTE, 1, 2));
        assertThat(audit).filteredOn(e -> e.action() == AuditAction.ARCHIVE)
                .extracting(AuditEntry::toVersion, AuditEntry::note)
                .containsExactly(tuple(1, "replaced in production by version 2"));

        long generation = registry.generation();
        assertThat(registry.promote("gpt-small", 2, Stage.PRODUCTION, "bob", null).version()).isEqualTo(2);
        assertThat(registry.generation()).as("promoting to the stage a version holds changes nothing").isEqualTo(generation);
    }

    @Test
    void rollbackRestoresThePreviousProductionVersionAndAuditsIt() {
        for (int i = 1; i <= 3; i++) {
            register("gpt-small", i / 10.0);
            registry.promote("gpt-small", i, Stage.PRODUCTION, "alice", null);
        }

        ModelVersion restored = registry.rollback("gpt-small", Stage.PRODUCTION, "carol", "v3 hallucinates");

        assertThat(restored.version()).isEqualTo(2);
        assertThat(restored.stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry.version("gpt-small", 3).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.resolve("gpt-small")).map(ModelVersion::version).contains(2);
        List<AuditEntry> audit = registry.audit("gpt-small");
        assertThat(audit.subList(audit.size() - 2, audit.size()))
                .extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::fromVersion, AuditEntry::toVersion, AuditEntry::stage, AuditEntry::note)
                .containsExactly(
                        tuple("carol", AuditAction.ROLLBACK, 3, 2, Stage.PRODUCTION, "v3 hallucinates"),
                        tuple("carol", AuditAction.ARCHIVE, null, 3, Stage.ARCHIVED, "rolled back from production to version 2"));

        assertThat(registry.rollback("gpt-small", Stage.PRODUCTION, "carol", null).version())
                .as("a second rollback walks further back, not forth").isEqualTo(1);
        assertThatThrownBy(() -> registry.rollback("gpt-small", Stage.PRODUCTION, "carol", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("version 1 is the first version of 'gpt-small' to be in production")
                .hasMessageContaining("keel models promote gpt-small VERSION --stage production");
    }

    @Test
    void aHolderArchivedByHandIsNotRolledBackTo() {
        for (int i = 1; i <= 3; i++) {
            register("gpt-small", i / 10.0);
            registry.promote("gpt-small", i, Stage.PRODUCTION, "alice", null);
        }
        registry.promote("gpt-small", 3, Stage.ARCHIVED, "alice", "withdrawn");
        assertThat(registry.audit("gpt-small").getLast().action()).isEqualTo(AuditAction.ARCHIVE);
        assertThatThrownBy(() -> registry.rollback("gpt-small", Stage.PRODUCTION, "alice", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("no version of 'gpt-small' is in production");
        assertThat(registry.resolve("gpt-small")).as("every version is archived: nothing to serve").isEmpty();
        register("gpt-small", 0.4);
        assertThat(registry.resolve("gpt-small")).as("no production: the newest version not archived").map(ModelVersion::version).contains(4);

        registry.promote("gpt-small", 2, Stage.PRODUCTION, "alice", null);
        assertThat(registry.rollback("gpt-small", Stage.PRODUCTION, "alice", null).version()).isEqualTo(1);
    }

    @Test
    void rollbackWithoutHistoryIsAClearError() {
        register("gpt-small", 0.1);
        assertThatThrownBy(() -> registry.rollback("gpt-small", Stage.PRODUCTION, "alice", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("nothing to roll back");
        registry.promote("gpt-small", 1, Stage.PRODUCTION, "alice", null);
        long generation = registry.generation();
        assertThatThrownBy(() -> registry.rollback("gpt-small", Stage.PRODUCTION, "alice", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("no earlier one to roll back to");
        assertThat(registry.generation()).as("a failed change is rolled back whole").isEqualTo(generation);
        assertThatThrownBy(() -> registry.rollback("gpt-small", Stage.DEVELOPMENT, "alice", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNPROCESSABLE));
        assertThatThrownBy(() -> registry.rollback("nope", Stage.PRODUCTION, "alice", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() {
        register("gpt-small", 0.1);
        assertThatThrownBy(() -> registry.model("nope"))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no model named 'nope' is registered");
        assertThatThrownBy(() -> registry.version("gpt-small", 7))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("model 'gpt-small' has no version 7; its versions are 1 to 1");
        assertThatThrownBy(() -> registry.promote("gpt-small", 9, Stage.PRODUCTION, "a", null))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(registry.resolve("nope")).isEmpty();
        assertThat(registry.current("gpt-small", Stage.PRODUCTION)).isEmpty();
        assertThat(registry.resolve("gpt-small")).map(ModelVersion::version).contains(1);
    }

    @Test
    void invalidEntriesAreRejectedBeforeAnythingIsWritten() {
        Map<String, Object> wrongKey = entry("gpt-small", 0.1);
        wrongKey.put("model_id", "x");
        assertThatThrownBy(() -> registry.register(RegisterRequest.of(wrongKey), "a"))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNPROCESSABLE))
                .hasMessageContaining("goes in 'model'");
        Map<String, Object> badUrl = entry("gpt-small", 0.1);
        badUrl.put("endpoints", List.of("ftp://x"));
        assertThatThrownBy(() -> registry.register(RegisterRequest.of(badUrl), "a")).hasMessageContaining("'endpoints[0].url' must be an http(s) URL");
        Map<String, Object> typo = entry("gpt-small", 0.1);
        typo.put("api_key_evn", "KEY");
        assertThatThrownBy(() -> registry.register(RegisterRequest.of(typo), "a"))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNPROCESSABLE))
                .hasMessageContaining("unknown configuration key 'api_key_evn' (did you mean 'api_key_env'?)");
        Map<String, Object> badPrice = entry("gpt-small", 0.1);
        badPrice.put("price", Map.of("input_per_1m", -1));
        assertThatThrownBy(() -> registry.register(RegisterRequest.of(badPrice), "a"))
                .hasMessageContaining("'price.input_per_1m' must be between 0.0 and 1.0E9; got -1");
        ModelRegistry strict = new ModelRegistry(openDatabase(open), config -> {
            throw KeelException.invalid("models[0].retry.max_atempts: is not a known key");
        });
        assertThatThrownBy(() -> strict.register(RegisterRequest.of(entry("gpt-small", 0.1)), "a"))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNPROCESSABLE))
                .hasMessageContaining("max_atempts");
        assertThat(registry.models()).isEmpty();
        assertThat(registry.generation()).isZero();
    }

    private Database openDatabase(List<AutoCloseable> into) {
        Database db = openDatabase();
        into.add(db);
        return db;
    }

    @Test
    void versionsAreImmutableInTheDatabase() {
        register("gpt-small", 0.1);
        Database db = openDatabase(open);
        assertThatThrownBy(() -> db.inTransaction(c -> c.createStatement().executeUpdate("UPDATE registry_model_version SET notes = 'x'")))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> db.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM registry_model_version")))
                .hasMessageContaining("immutable");
    }

    @Test
    @SuppressWarnings("try")
    void listenersHearLocalChangesAndAWatcherHearsChangesFromAnotherInstance() throws Exception {
        List<RegistryChange> local = new CopyOnWriteArrayList<>();
        registry.addListener(local::add);
        ModelRegistry other = newRegistry();
        List<RegistryChange> seenByOther = new CopyOnWriteArrayList<>();
        other.addListener(seenByOther::add);

        try (RegistryWatcher watcher = RegistryWatcher.start(other, Duration.ofMillis(50));
             RegistryWatcher own = RegistryWatcher.start(registry, Duration.ofMillis(50))) {
            register("gpt-small", 0.1);
            registry.promote("gpt-small", 1, Stage.PRODUCTION, "alice", null);

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seenByOther.stream().mapToInt(c -> c.entries().size()).sum() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            Thread.sleep(200); // several more ticks: nothing may be told twice

            assertThat(seenByOther).allMatch(RegistryChange::external);
            assertThat(seenByOther).flatExtracting(RegistryChange::entries).extracting(AuditEntry::action)
                    .containsExactly(AuditAction.REGISTER, AuditAction.PROMOTE);
            assertThat(seenByOther.getLast().generation()).isEqualTo(other.generation());
            assertThat(other.resolve("gpt-small")).map(ModelVersion::version).contains(1);
        }
        assertThat(local).as("the writing instance hears its own changes once, at commit").hasSize(2).noneMatch(RegistryChange::external);
        assertThat(local.get(1).entries()).extracting(AuditEntry::action).containsExactly(AuditAction.PROMOTE);
        assertThat(local.get(1).models()).containsExactly("gpt-small");
        assertThat(local.get(1).entries().getFirst().id()).isPositive();
        assertThat(local.get(1).entries().getFirst().actor()).isEqualTo("alice");
    }

    @Test
    void concurrentRegistrationsFromTwoInstancesNeitherDuplicateNorCollide() throws Exception {
        ModelRegistry other = newRegistry();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            ModelRegistry r = i % 2 == 0 ? registry : other;
            double temperature = i < 4 ? 0.5 : i / 10.0 + 0.01; // four identical configs, then four distinct ones
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    r.register(RegisterRequest.of(entry("gpt-small", temperature)), "t");
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) t.join();

        assertThat(failures).isEmpty();
        assertThat(registry.model("gpt-small").versions()).extracting(ModelVersion::version).containsExactly(1, 2, 3, 4, 5);
        assertThat(registry.audit("gpt-small")).hasSize(5);
        assertThat(registry.generation()).isEqualTo(5);
    }

    @Test
    void aFailingListenerDoesNotBreakTheChange() {
        registry.addListener(c -> {
            throw new IllegalStateException("boom");
        });
        assertThat(register("gpt-small", 0.1).version()).isEqualTo(1);
    }
}
