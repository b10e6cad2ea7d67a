package io.keel.agent.run;

import io.keel.agent.StopReason;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ToolCall;
import io.keel.store.sql.Database;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The run store on one engine; each dialect's subclass names it. */
abstract class SqlRunStoreContract {
    @TempDir
    Path dir;
    TestDatabase tdb;
    Database db;

    abstract TestDatabase.Engine engine();

    @BeforeEach
    void open() {
        tdb = TestDatabase.create(engine(), dir);
        db = tdb.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(tdb.sqliteFile())
                : Database.postgres(tdb.jdbcUrl(), TestDatabase.PG_USER, null, 2);
    }

    @AfterEach
    void close() {
        db.close();
        tdb.close();
    }

    static AgentRun run(String id, RunStatus status, StopReason reason, int steps, long updatedMs) {
        return new AgentRun(id, "helper", "helper@abc", "acme", status, reason, "answer " + id, null, steps,
                new Usage(100, 20, 0.001, false), List.of("m@1"), List.of("p@x"), Instant.ofEpochMilli(1000),
                Instant.ofEpochMilli(updatedMs), 42, List.of());
    }

    static RunState state() {
        return new RunState(List.of(ChatMessage.user("hi"), ChatMessage.assistant(null, List.of(new ToolCall("c1", "calculator", "{\"expression\":\"1+1\"}"))),
                ChatMessage.tool("c1", "2")), "calculator {\"expression\":\"1+1\"}", 1);
    }

    @Test
    void savesARunStepByStepAndReadsItBackWithItsStateAndRedactedArguments() {
        SqlRunStore store = new SqlRunStore(db, 10, s -> s.replace("secret", "[REDACTED]"));
        store.save(run("r1", RunStatus.RUNNING, null, 0, 2000), new RunState(List.of(ChatMessage.user("hi")), null, 0), List.of());
        RunStep model = new RunStep(1, RunStep.MODEL, "m@1", null, 0, 12.5, new Usage(100, 20, 0.001, false), false, null);
        RunStep tool = new RunStep(1, RunStep.TOOL, "calculator", "{\"expression\":\"1+1\",\"note\":\"secret\"}", 1, 0.3, Usage.ZERO, true, null);
        store.save(run("r1", RunStatus.RUNNING, null, 1, 3000), state(), List.of(model, tool));
        store.save(run("r1", RunStatus.STOPPED, StopReason.MAX_STEPS, 1, 4000), state(), List.of());

        AgentRun back = store.find("r1").orElseThrow();
        assertThat(back.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(back.stopReason()).isEqualTo(StopReason.MAX_STEPS);
        assertThat(back.models()).containsExactly("m@1");
        assertThat(back.usage().costUsd()).isEqualTo(0.001);
        assertThat(back.events()).hasSize(2);
        assertThat(back.events().get(1).arguments()).contains("[REDACTED]").doesNotContain("secret");
        assertThat(back.events().get(1).flagged()).isTrue();
        RunState s = store.state("r1").orElseThrow();
        assertThat(s.conversation()).isEqualTo(state().conversation());
        assertThat(s.identicalRun()).isEqualTo(1);
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void keepsOnlyTheNewestRuns() {
        SqlRunStore store = new SqlRunStore(db, 3, s -> s);
        for (int i = 1; i <= 5; i++) {
            store.save(run("r" + i, RunStatus.COMPLETED, StopReason.COMPLETED, 1, 1000L * i), state(),
                    List.of(new RunStep(1, RunStep.MODEL, "m", null, 1, 1, Usage.ZERO, false, null)));
        }
        assertThat(store.find("r1")).as("the oldest go, steps included").isEmpty();
        assertThat(store.find("r2")).isEmpty();
        assertThat(store.find("r3")).isPresent();
        assertThat(store.find("r5")).isPresent();
        int steps = db.withConnection(c -> io.keel.store.sql.Rows.query(c, "SELECT COUNT(*) AS n FROM agent_run_steps", rs -> rs.getInt("n")).getFirst());
        assertThat(steps).isEqualTo(3);
        int messages = db.withConnection(c -> io.keel.store.sql.Rows.query(c, "SELECT COUNT(*) AS n FROM agent_run_messages", rs -> rs.getInt("n")).getFirst());
        assertThat(messages).as("three kept runs of three messages").isEqualTo(9);
    }
}
