package io.keel.agent.run;

import io.keel.agent.StopReason;
import io.keel.core.answer.Usage;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.store.sql.Database;
import io.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Runs in Keel's SQL database (module {@code agents}; SQLite or PostgreSQL). Bounded: a run's stored state may not
 * exceed {@code maxStateBytes} (the runtime stops the run before it would), and only the newest {@code maxRuns} runs
 * are kept — older ones are deleted, steps included, as new ones start. Tool arguments pass through {@code redact}
 * before they are stored. Thread-safe.
 */
public final class SqlRunStore implements RunStore {
    private final Database db;
    private final int maxRuns;
    private final UnaryOperator<String> redact;

    /**
     * @param maxRuns runs kept; the oldest beyond it are deleted when a new run is saved first
     * @param redact  applied to tool arguments before they are stored (the request log's redactor)
     */
    public SqlRunStore(Database db, int maxRuns, UnaryOperator<String> redact) {
        this.db = Objects.requireNonNull(db, "db");
        if (maxRuns < 1) throw new IllegalArgumentException("maxRuns must be >= 1");
        this.maxRuns = maxRuns;
        this.redact = Objects.requireNonNull(redact, "redact");
        db.migrate("agents");
    }

    @Override
    public void save(AgentRun run, RunState state, List<RunStep> newEvents) {
        db.inTransaction(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent_runs SET status = ?, stop_reason = ?, answer = ?, error = ?,"
                    + " steps = ?, prompt_tokens = ?, completion_tokens = ?, cost_usd = ?, models = ?, prompts = ?,"
                    + " last_call = ?, identical_run = ?, updated_at = ?, elapsed_ms = ? WHERE id = ?")) {
                Rows.bind(ps, run.status().wireName(), run.stopReason() == null ? null : run.stopReason().wireName(), run.answer(),
                        run.error(), run.steps(), run.usage().promptTokens(), run.usage().completionTokens(), run.usage().costUsd(),
                        Conversations.strings(run.models()), Conversations.strings(run.prompts()), state.lastCall(),
                        state.identicalRun(), run.updated().toEpochMilli(), run.elapsedMillis(), run.id());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_runs (id, agent_name, agent_version, tenant, status,"
                        + " stop_reason, answer, error, steps, prompt_tokens, completion_tokens, cost_usd, models, prompts,"
                        + " last_call, identical_run, started_at, updated_at, elapsed_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    Rows.bind(ps, run.id(), run.agentName(), run.agent(), run.tenant(), run.status().wireName(),
                            run.stopReason() == null ? null : run.stopReason().wireName(), run.answer(), run.error(), run.steps(),
                            run.usage().promptTokens(), run.usage().completionTokens(), run.usage().costUsd(),
                            Conversations.strings(run.models()), Conversations.strings(run.prompts()), state.lastCall(),
                            state.identicalRun(), run.started().toEpochMilli(), run.updated().toEpochMilli(), run.elapsedMillis());
                    ps.executeUpdate();
                }
                prune(c);
            }
            appendMessages(c, run.id(), state.conversation());
            if (!newEvents.isEmpty()) {
                int seq = nextSeq(c, run.id(), "agent_run_steps");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_run_steps (run_id, seq, step, kind, name, arguments,"
                        + " result_chars, latency_ms, prompt_tokens, completion_tokens, cost_usd, flagged, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    for (RunStep e : newEvents) {
                        Rows.bind(ps, run.id(), seq++, e.step(), e.kind(), e.name(), e.arguments() == null ? null : redact.apply(e.arguments()),
                                e.resultChars(), e.latencyMs(), e.usage().promptTokens(), e.usage().completionTokens(), e.usage().costUsd(),
                                e.flagged() ? 1 : 0, e.error());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    private static int nextSeq(Connection c, String runId, String table) throws SQLException {
        List<Integer> max = Rows.query(c, "SELECT COALESCE(MAX(seq), 0) AS m FROM " + table + " WHERE run_id = ?", rs -> rs.getInt("m"), runId);
        return max.getFirst() + 1;
    }

    /** The conversation only grows: the messages past those already stored are appended, none rewritten. */
    private static void appendMessages(Connection c, String runId, List<io.keel.core.chat.ChatMessage> conversation) throws SQLException {
        int stored = nextSeq(c, runId, "agent_run_messages") - 1;
        if (stored >= conversation.size()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_run_messages (run_id, seq, message) VALUES (?,?,?)")) {
            for (int i = stored; i < conversation.size(); i++) {
                Rows.bind(ps, runId, i + 1, Conversations.write(conversation.get(i)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletes the oldest runs beyond {@code maxRuns}, with their steps. */
    private void prune(Connection c) throws SQLException {
        List<String> old = Rows.query(c, "SELECT id FROM agent_runs ORDER BY updated_at DESC, id DESC LIMIT 1000 OFFSET ?", rs -> rs.getString("id"), maxRuns);
        if (old.isEmpty()) return;
        try (PreparedStatement steps = c.prepareStatement("DELETE FROM agent_run_steps WHERE run_id = ?");
             PreparedStatement messages = c.prepareStatement("DELETE FROM agent_run_messages WHERE run_id = ?");
             PreparedStatement runs = c.prepareStatement("DELETE FROM agent_runs WHERE id = ?")) {
            for (String id : old) {
                steps.setString(1, id);
                steps.addBatch();
                messages.setString(1, id);
                messages.addBatch();
                runs.setString(1, id);
                runs.addBatch();
            }
            steps.executeBatch();
            messages.executeBatch();
            runs.executeBatch();
        }
    }

    @Override
    public Optional<AgentRun> find(String id) {
        return db.withConnection(c -> {
            List<RunStep> events = Rows.query(c, "SELECT * FROM agent_run_steps WHERE run_id = ? ORDER BY seq", SqlRunStore::step, id);
            List<AgentRun> runs = Rows.query(c, "SELECT * FROM agent_runs WHERE id = ?", rs -> run(rs, events), id);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst());
        });
    }

    @Override
    public Optional<RunState> state(String id) {
        return db.withConnection(c -> {
            List<io.keel.core.chat.ChatMessage> messages = Rows.query(c,
                    "SELECT message FROM agent_run_messages WHERE run_id = ? ORDER BY seq", rs -> Conversations.read(rs.getString("message")), id);
            List<RunState> s = Rows.query(c, "SELECT last_call, identical_run FROM agent_runs WHERE id = ?",
                    rs -> new RunState(messages, rs.getString("last_call"), rs.getInt("identical_run")), id);
            return s.isEmpty() ? Optional.empty() : Optional.of(s.getFirst());
        });
    }

    private static AgentRun run(ResultSet rs, List<RunStep> events) throws SQLException {
        String stop = rs.getString("stop_reason");
        try {
            return new AgentRun(rs.getString("id"), rs.getString("agent_name"), rs.getString("agent_version"), rs.getString("tenant"),
                    RunStatus.fromWire(rs.getString("status")), stop == null ? null : StopReason.fromWire(stop), rs.getString("answer"),
                    rs.getString("error"), rs.getInt("steps"),
                    new Usage(rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getDouble("cost_usd"), false),
                    Conversations.strings(rs.getString("models")), Conversations.strings(rs.getString("prompts")),
                    Instant.ofEpochMilli(rs.getLong("started_at")), Instant.ofEpochMilli(rs.getLong("updated_at")), rs.getLong("elapsed_ms"), events);
        } catch (IllegalArgumentException e) {
            throw new KeelException(ErrorCode.INTERNAL, "stored run " + rs.getString("id") + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static RunStep step(ResultSet rs) throws SQLException {
        return new RunStep(rs.getInt("step"), rs.getString("kind"), rs.getString("name"), rs.getString("arguments"),
                rs.getInt("result_chars"), rs.getDouble("latency_ms"),
                new Usage(rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getDouble("cost_usd"), false),
                rs.getInt("flagged") != 0, rs.getString("error"));
    }
}
