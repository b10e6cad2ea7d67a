package io.keel.store.sql;

import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.UsageQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SQL text of the request log, per dialect. Only column names from fixed tables are spliced into statements;
 * every value is a bind parameter.
 */
final class RequestSql {
    /** Usage dimension name to the column that holds it; {@code day} is computed per dialect. */
    private static final Map<String, String> DIMENSION_COLUMNS = Map.ofEntries(
            Map.entry("tenant", "tenant"), Map.entry("user", "user_id"), Map.entry("app", "app"),
            Map.entry("feature", "feature"), Map.entry("route", "route"), Map.entry("model", "model"),
            Map.entry("model_version", "model_version"), Map.entry("prompt_id", "prompt_id"),
            Map.entry("prompt_version", "prompt_version"), Map.entry("experiment", "experiment"),
            Map.entry("variant", "variant"), Map.entry("status", "status"));

    private static final String SELECT = "SELECT " + String.join(", ", RequestRows.COLUMNS) + " FROM requests";

    private final Dialect dialect;

    RequestSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Insert of one record; a record with an id already stored replaces it (last write wins). */
    String upsert() {
        List<String> cols = RequestRows.COLUMNS;
        return "INSERT INTO requests (" + String.join(", ", cols) + ") VALUES ("
                + cols.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT (id) DO UPDATE SET "
                + cols.stream().skip(1).map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    }

    String byId() {
        return SELECT + " WHERE id = ?";
    }

    /**
     * Every record of one experiment (alone or joined with experiments of other layers), oldest first, without the
     * texts an experiment's outcomes do not need (question, answer, citations, context): a report over 100,000
     * requests reads their numbers, not their passages.
     */
    String forExperiment() {
        String cols = String.join(", ", RequestRows.COLUMNS.stream().map(c -> switch (c) {
            case "question", "answer" -> "'' AS " + c;
            case "citations", "context" -> "'[]' AS " + c;
            default -> c;
        }).toList());
        return "SELECT " + cols + " FROM requests WHERE " + ExperimentMatch.CONDITION + " ORDER BY time_ms, id";
    }

    String timeOf() {
        return "SELECT time_ms FROM requests WHERE id = ?";
    }

    /** Deletes the records a purge selects. */
    Query purge(io.keel.core.spi.RequestPurge p) {
        StringBuilder sql = new StringBuilder("DELETE FROM requests WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        eq(sql, params, "tenant", p.tenant());
        eq(sql, params, "user_id", p.user());
        range(sql, params, null, p.before());
        return new Query(sql.toString(), params);
    }

    /** A statement and its parameters. */
    record Query(String sql, List<Object> params) {
    }

    /**
     * Records matching every set field, newest first.
     *
     * @param beforeTimeMs time of the {@code before} record when paging, else null
     */
    Query find(RequestFilter f, Long beforeTimeMs) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        eq(sql, params, "tenant", f.tenant());
        eq(sql, params, "user_id", f.user());
        eq(sql, params, "app", f.app());
        eq(sql, params, "feature", f.feature());
        eq(sql, params, "route", f.route());
        eq(sql, params, "model", f.model());
        eq(sql, params, "model_version", f.modelVersion());
        eq(sql, params, "prompt_id", f.promptId());
        eq(sql, params, "prompt_version", f.promptVersion());
        eq(sql, params, "status", f.status());
        range(sql, params, f.from(), f.to());
        if (beforeTimeMs != null) {
            sql.append(" AND (time_ms < ? OR (time_ms = ? AND id < ?))");
            params.add(beforeTimeMs);
            params.add(beforeTimeMs);
            params.add(f.before());
        }
        sql.append(" ORDER BY time_ms DESC, id DESC LIMIT ?");
        params.add(f.limit());
        return new Query(sql.toString(), params);
    }

    /**
     * Sums over {@code [from, to)} grouped by the query's dimensions: columns 1..n are the group values, then
     * requests, errors, prompt tokens, completion tokens, estimated requests and the cost in nano-dollars.
     */
    Query usage(UsageQuery q) {
        List<String> exprs = q.groupBy().stream().map(this::dimension).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String e : exprs) sql.append(e).append(", ");
        sql.append("COUNT(*), SUM(CASE WHEN status <> 'ok' THEN 1 ELSE 0 END), SUM(prompt_tokens), "
                + "SUM(completion_tokens), SUM(estimated), SUM(cost_nanos) FROM requests WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        eq(sql, params, "tenant", q.tenant());
        range(sql, params, q.from(), q.to());
        if (!exprs.isEmpty()) sql.append(" GROUP BY ").append(String.join(", ", exprs));
        return new Query(sql.toString(), params);
    }

    private String dimension(String name) {
        if (name.equals("day")) {
            return switch (dialect) {
                case SQLITE -> "strftime('%Y-%m-%d', time_ms / 1000.0, 'unixepoch')";
                case POSTGRESQL -> "to_char(to_timestamp(time_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
            };
        }
        String column = DIMENSION_COLUMNS.get(name);
        if (column == null) throw new IllegalArgumentException("unknown usage dimension " + name);
        return column;
    }

    private static void eq(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static void range(StringBuilder sql, List<Object> params, Instant from, Instant to) {
        if (from != null) {
            sql.append(" AND time_ms >= ?");
            params.add(from.toEpochMilli());
        }
        if (to != null) {
            sql.append(" AND time_ms < ?");
            params.add(to.toEpochMilli());
        }
    }
}
