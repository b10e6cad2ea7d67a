package io.keel.prompts;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.store.sql.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every database must give {@link PromptStore}; subclasses supply SQLite or PostgreSQL. */
abstract class PromptStoreContract extends PromptDatabase {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private PromptStore store;

    @BeforeEach
    void setUp() {
        store = new PromptStore(open(), CLOCK);
    }

    static PromptFile prompt(String semver, String words) {
        return PromptLoader.parse("id: greet\n" + (semver == null ? "" : "version: " + semver + "\n")
                + "template: '" + words + " {{name}}'\n", "greet.yaml");
    }

    @Test
    void pushIsIdempotentForIdenticalContent() {
        PromptFile v1 = prompt("1.0.0", "Hello");
        PromptStore.PushResult first = store.push(v1, "ada");
        assertThat(first.created()).isTrue();
        assertThat(first.stored().version()).isEqualTo(v1.version());
        assertThat(first.stored().pushedBy()).isEqualTo("ada");
        assertThat(first.stored().pushedAt()).isEqualTo(CLOCK.instant());

        PromptStore.PushResult again = store.push(v1, "bob");
        assertThat(again.created()).isFalse();
        assertThat(again.stored().pushedBy()).isEqualTo("ada");
        assertThat(store.versions("greet")).hasSize(1);
        assertThat(store.ids()).containsExactly("greet");
    }

    @Test
    void labelMovesAreWrittenToTheAuditLog() {
        Database db = open();
        io.keel.store.sql.SqlAuditLog log = new io.keel.store.sql.SqlAuditLog(db);
        PromptStore audited = new PromptStore(db, CLOCK).auditTo(log);
        PromptFile v1 = prompt("1.0.0", "Hello");
        PromptFile v2 = prompt("1.1.0", "Hi");
        audited.push(v1, "ada");
        audited.push(v2, "ada");
        audited.label("greet", "production", "1.0.0", "ada");
        audited.label("greet", "production", "1.0.0", "ada"); // no move, no entry
        audited.label("greet", "production", "1.1.0", "bob");
        audited.rollback("greet", "production", "carol");
        List<io.keel.core.security.AuditEntry> entries = log.find(io.keel.core.security.AuditQuery.latest()).reversed();
        assertThat(entries).extracting(e -> e.event().actor().id(), e -> e.event().details().get("move"), e -> e.event().details().get("to"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ada", "label", v1.version().hash()),
                        org.assertj.core.groups.Tuple.tuple("bob", "label", v2.version().hash()),
                        org.assertj.core.groups.Tuple.tuple("carol", "rollback", v1.version().hash()));
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.event().action()).isEqualTo("prompt.label.changed");
            assertThat(e.event().target()).isEqualTo("prompt:greet#production");
            assertThat(e.event().at()).isEqualTo(CLOCK.instant());
        });
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void storedContentParsesBackToTheSameVersion() {
        PromptFile v1 = prompt(null, "Hello");
        store.push(v1, "ada");
        StoredPrompt s = store.resolve("greet", v1.version().hash());
        assertThat(s.content()).isEqualTo(v1.text());
        assertThat(s.prompt().version()).isEqualTo(v1.version());
        assertThat(s.prompt().origin()).isEqualTo("store:" + v1.version());
    }

    @Test
    void aSemverNamesOneContent() {
        store.push(prompt("1.0.0", "Hello"), "ada");
        assertThatThrownBy(() -> store.push(prompt("1.0.0", "Hi"), "ada"))
                .isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("version 1.0.0 of prompt 'greet' is already greet@1.0.0+");
        assertThat(store.versions("greet")).hasSize(1);
    }

    @Test
    void resolvesLabelsHashesPrefixesAndSemvers() {
        PromptFile v1 = prompt("1.0.0", "Hello");
        store.push(v1, "ada");
        store.label("greet", "production", "1.0.0", "ada");
        String hash = v1.version().hash();
        assertThat(store.resolve("greet", "production").version()).isEqualTo(v1.version());
        assertThat(store.resolve("greet", hash).version()).isEqualTo(v1.version());
        assertThat(store.resolve("greet", hash.substring(0, 6)).version()).isEqualTo(v1.version());
        assertThat(store.resolve("greet", "1.0.0").version()).isEqualTo(v1.version());
        assertThat(store.resolve("greet", "1.0.0+" + hash).version()).isEqualTo(v1.version());
        assertThatThrownBy(() -> store.resolve("greet", "staging"))
                .isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no label or version 'staging'")
                .hasMessageContaining("1.0.0+" + hash)
                .hasMessageContaining("labels: production");
        assertThatThrownBy(() -> store.resolve("other", "production")).hasMessageContaining("never been pushed");
    }

    @Test
    void labelsMoveAndAreAudited() {
        PromptFile v1 = prompt("1.0.0", "Hello");
        PromptFile v2 = prompt("1.1.0", "Hi");
        store.push(v1, "ada");
        store.push(v2, "ada");
        LabelChange first = store.label("greet", "production", v1.version().hash(), "ada");
        assertThat(first.fromHash()).isNull();
        store.label("greet", "staging", "1.1.0", "bob");
        LabelChange moved = store.label("greet", "production", "staging", "bob");
        assertThat(moved.fromHash()).isEqualTo(v1.version().hash());
        assertThat(moved.toHash()).isEqualTo(v2.version().hash());
        assertThat(store.label("greet", "production", "1.1.0", "bob").unchanged()).isTrue();

        assertThat(store.labels("greet")).isEqualTo(Map.of("production", v2.version(), "staging", v2.version()));
        List<LabelChange> history = store.history("greet", "production");
        assertThat(history).extracting(LabelChange::fromHash, LabelChange::toHash, LabelChange::actor, LabelChange::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, v1.version().hash(), "ada", "label"),
                org.assertj.core.groups.Tuple.tuple(v1.version().hash(), v2.version().hash(), "bob", "label"));
        assertThat(history.getFirst().at()).isEqualTo(CLOCK.instant());
    }

    @Test
    void labelsMustPointAtPushedVersions() {
        store.push(prompt(null, "Hello"), "ada");
        assertThatThrownBy(() -> store.label("greet", "production", "2.0.0", "ada")).hasMessageContaining("no label or version '2.0.0'");
        assertThatThrownBy(() -> store.label("greet", "1.0.0", "production", "ada")).hasMessageContaining("must match");
        assertThatThrownBy(() -> store.label("greet", "production", "1.0.0", " ")).hasMessageContaining("actor");
    }

    @Test
    void rollbackWalksBackThroughTheAuditTrail() {
        PromptFile v1 = prompt("1.0.0", "Hello");
        PromptFile v2 = prompt("2.0.0", "Hi");
        PromptFile v3 = prompt("3.0.0", "Hey");
        for (PromptFile p : List.of(v1, v2, v3)) store.push(p, "ada");
        assertThatThrownBy(() -> store.rollback("greet", "production", "ada"))
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        store.label("greet", "production", "1.0.0", "ada");
        assertThatThrownBy(() -> store.rollback("greet", "production", "ada"))
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("no earlier version");
        store.label("greet", "production", "2.0.0", "ada");
        store.label("greet", "production", "3.0.0", "ada");

        LabelChange back = store.rollback("greet", "production", "bob");
        assertThat(back.action()).isEqualTo(LabelChange.ROLLBACK);
        assertThat(back.fromHash()).isEqualTo(v3.version().hash());
        assertThat(back.toHash()).isEqualTo(v2.version().hash());
        assertThat(store.resolve("greet", "production").version()).isEqualTo(v2.version());

        store.rollback("greet", "production", "bob");
        assertThat(store.resolve("greet", "production").version()).isEqualTo(v1.version());
        assertThatThrownBy(() -> store.rollback("greet", "production", "bob")).hasMessageContaining("no earlier version");

        store.label("greet", "production", "3.0.0", "ada");
        store.rollback("greet", "production", "bob");
        assertThat(store.resolve("greet", "production").version()).isEqualTo(v1.version());
        assertThat(store.history("greet", "production")).hasSize(7);
    }
}
