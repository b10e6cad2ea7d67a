package io.keel.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.budget.Nanos;
import io.keel.core.spi.RequestRecord;

import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Maps a {@link RequestRecord} to the columns of the {@code requests} table and back. Kept apart from the writer
 * thread and the SQL text so the one place that knows the column order is small enough to check by eye.
 *
 * <p>Every field round-trips exactly except {@code time}, which is stored as epoch milliseconds (sub-millisecond
 * precision is dropped). Lineage is null on the way back exactly when it was null on the way in ({@code retrieval}
 * is NULL only then). Retrieval settings are JSON, so their values come back as JSON types (Integer/Long, Double,
 * String, Boolean, List, Map).
 */
final class RequestRows {
    /** Column names in bind order; {@link #bind} and {@link #read} follow it. */
    static final List<String> COLUMNS = List.of("id", "time_ms", "route", "tenant", "user_id", "app", "feature",
            "status", "error", "question", "answer", "model", "model_version", "prompt_id", "prompt_version",
            "embedding_model", "index_version", "guard_policy", "experiment", "variant", "retrieval",
            "prompt_tokens", "completion_tokens", "cached_prompt_tokens", "estimated", "cost_nanos", "cost_usd", "timings", "citations",
            "context", "findings", "top_score", "score_margin", "weak_hit_share", "groundedness", "answer_sentences",
            "supported_sentences", "route_rule", "route_reason");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Long>> TIMINGS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<RequestRecord.ContextChunk>> CHUNKS = new TypeReference<>() { };

    private RequestRows() {
    }

    /** Binds {@code r} to parameters 1..{@code COLUMNS.size()} of an insert in {@link #COLUMNS} order. */
    static void bind(PreparedStatement ps, RequestRecord r) throws SQLException {
        Caller caller = r.caller();
        Lineage l = r.lineage();
        Usage u = r.usage();
        Quality q = r.quality();
        int i = 0;
        ps.setString(++i, r.id());
        ps.setLong(++i, r.time().toEpochMilli());
        ps.setString(++i, r.route());
        ps.setString(++i, caller.tenant());
        ps.setString(++i, caller.user());
        ps.setString(++i, caller.app());
        ps.setString(++i, caller.feature());
        ps.setString(++i, r.status());
        ps.setString(++i, r.error());
        ps.setString(++i, r.question());
        ps.setString(++i, r.answer());
        ps.setString(++i, l == null ? null : l.generator());
        ps.setString(++i, l == null ? null : l.modelVersion());
        ps.setString(++i, l == null ? null : l.promptId());
        ps.setString(++i, l == null ? null : l.promptVersion());
        ps.setString(++i, l == null ? null : l.embeddingModel());
        ps.setString(++i, l == null ? null : l.indexVersion());
        ps.setString(++i, l == null ? null : l.guardPolicy());
        ps.setString(++i, l == null ? null : l.experiment());
        ps.setString(++i, l == null ? null : l.variant());
        ps.setString(++i, l == null ? null : json(l.retrieval()));
        ps.setLong(++i, u.promptTokens());
        ps.setLong(++i, u.completionTokens());
        ps.setLong(++i, u.cachedPromptTokens());
        ps.setInt(++i, u.estimated() ? 1 : 0);
        ps.setLong(++i, Nanos.of(u.costUsd()));
        ps.setDouble(++i, u.costUsd());
        ps.setString(++i, json(r.timings().nanos()));
        ps.setString(++i, json(r.citations()));
        ps.setString(++i, json(r.context()));
        ps.setString(++i, json(r.findings()));
        Rows.setDouble(ps, ++i, q.topScore());
        Rows.setDouble(ps, ++i, q.scoreMargin());
        Rows.setDouble(ps, ++i, q.weakHitShare());
        Rows.setDouble(ps, ++i, q.groundedness());
        Rows.setInt(ps, ++i, q.answerSentences());
        Rows.setInt(ps, ++i, q.supportedSentences());
        ps.setString(++i, l == null ? null : l.route());
        ps.setString(++i, l == null ? null : l.routeReason());
    }

    /** Reads the current row of a result set selected with {@link #COLUMNS} in order. */
    static RequestRecord read(ResultSet rs) throws SQLException {
        String retrieval = rs.getString("retrieval");
        Lineage lineage = retrieval == null ? null : new Lineage(rs.getString("embedding_model"),
                rs.getString("index_version"), rs.getString("model"), rs.getString("model_version"),
                rs.getString("prompt_id"), rs.getString("prompt_version"), rs.getString("guard_policy"),
                rs.getString("experiment"), rs.getString("variant"), parse(retrieval, MAP),
                rs.getString("route_rule"), rs.getString("route_reason"));
        return new RequestRecord(
                rs.getString("id"),
                Instant.ofEpochMilli(rs.getLong("time_ms")),
                rs.getString("route"),
                new Caller(rs.getString("tenant"), rs.getString("user_id"), rs.getString("app"), rs.getString("feature")),
                rs.getString("status"),
                rs.getString("error"),
                rs.getString("question"),
                rs.getString("answer"),
                new Usage(rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getLong("cached_prompt_tokens"), rs.getDouble("cost_usd"),
                        rs.getInt("estimated") != 0),
                new Timings(parse(rs.getString("timings"), TIMINGS)),
                lineage,
                parse(rs.getString("citations"), STRINGS),
                parse(rs.getString("context"), CHUNKS),
                parse(rs.getString("findings"), STRINGS),
                new Quality(Rows.getDouble(rs, "top_score"), Rows.getDouble(rs, "score_margin"), Rows.getDouble(rs, "weak_hit_share"),
                        Rows.getDouble(rs, "groundedness"), Rows.getInt(rs, "answer_sentences"), Rows.getInt(rs, "supported_sentences")));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write request-log JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot read request-log JSON: " + e.getOriginalMessage(), e);
        }
    }
}
