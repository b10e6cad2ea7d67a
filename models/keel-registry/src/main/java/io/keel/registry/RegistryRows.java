package io.keel.registry;

import io.keel.core.error.KeelException;
import io.keel.model.Pricing;
import io.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's rows in and out of SQL: the version and audit queries, their mapping to {@link ModelVersion} and
 * {@link AuditEntry}, the not-found errors, and the dialect's timestamp columns (TIMESTAMPTZ on PostgreSQL, ISO-8601
 * UTC text on SQLite). {@link ModelRegistry} keeps the decisions and transactions.
 */
final class RegistryRows {
    static final String VERSION_COLUMNS = "v.model, v.version, s.stage, v.provider, v.model_id, v.endpoints, v.params, "
            + "v.input_per_million, v.output_per_million, v.cached_input_per_million, v.tokenizer, v.notes, v.config, "
            + "v.content_hash, v.created_by, v.created_at";
    static final String VERSIONS = "SELECT " + VERSION_COLUMNS + " FROM registry_model_version v "
            + "JOIN registry_stage s ON s.model = v.model AND s.version = v.version ";
    static final String AUDIT_COLUMNS = "id, generation, at, actor, model, action, from_version, to_version, stage, note";

    private final boolean postgres;

    RegistryRows(boolean postgres) {
        this.postgres = postgres;
    }

    Optional<ModelVersion> byHash(Connection c, String model, String hash) throws SQLException {
        return versions(c, VERSIONS + "WHERE v.model = ? AND v.content_hash = ?", model, hash).stream().findFirst();
    }

    ModelVersion readVersion(Connection c, String model, int version) throws SQLException {
        List<ModelVersion> found = versions(c, VERSIONS + "WHERE v.model = ? AND v.version = ?", model, version);
        if (found.isEmpty()) throw unknownVersion(c, model, version);
        return found.getFirst();
    }

    void requireModel(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM registry_model_version WHERE model = ? AND version = 1")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return;
            }
        }
        throw unknownModel(model);
    }

    KeelException unknownModel(String model) {
        return KeelException.notFound("no model named '" + model + "' is registered; list them with GET /v1/registry/models "
                + "or 'keel models list', and register one from its keel.yaml entry");
    }

    KeelException unknownVersion(Connection c, String model, int version) throws SQLException {
        requireModel(c, model);
        int newest;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(version) FROM registry_model_version WHERE model = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                newest = rs.getInt(1);
            }
        }
        return KeelException.notFound("model '" + model + "' has no version " + version + "; its versions are 1 to " + newest);
    }

    List<ModelVersion> versions(Connection c, String sql, Object... args) throws SQLException {
        return Rows.query(c, sql, rs -> {
            double input = rs.getDouble("input_per_million");
            Double cached = Rows.getDouble(rs, "cached_input_per_million");
            return new ModelVersion(rs.getString("model"), rs.getInt("version"), Stage.parse(rs.getString("stage")),
                    rs.getString("provider"), rs.getString("model_id"), Configs.strings(rs.getString("endpoints")),
                    Configs.map(rs.getString("params")),
                    new Pricing(input, rs.getDouble("output_per_million"), cached == null ? input : cached),
                    rs.getString("tokenizer"), rs.getString("notes"), Configs.map(rs.getString("config")),
                    rs.getString("content_hash"), rs.getString("created_by"), instant(rs, "created_at"));
        }, args);
    }

    List<AuditEntry> readAudit(Connection c, String sql, Object... args) throws SQLException {
        return Rows.query(c, sql, rs -> {
            String stage = rs.getString("stage");
            return new AuditEntry(rs.getLong("id"), rs.getLong("generation"), instant(rs, "at"), rs.getString("actor"),
                    rs.getString("model"), AuditAction.parse(rs.getString("action")), Rows.getInt(rs, "from_version"),
                    Rows.getInt(rs, "to_version"), stage == null ? null : Stage.parse(stage), rs.getString("note"));
        }, args);
    }

    List<RegisteredModel> group(List<ModelVersion> versions) {
        Map<String, List<ModelVersion>> byModel = new LinkedHashMap<>();
        for (ModelVersion v : versions) byModel.computeIfAbsent(v.model(), k -> new ArrayList<>()).add(v);
        List<RegisteredModel> out = new ArrayList<>();
        byModel.forEach((name, list) -> out.add(new RegisteredModel(name, list)));
        return out;
    }

    /** Timestamps: TIMESTAMPTZ on PostgreSQL, ISO-8601 UTC text on SQLite. */
    void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (postgres) ps.setObject(index, at.atOffset(ZoneOffset.UTC));
        else ps.setString(index, at.toString());
    }

    Instant instant(ResultSet rs, String column) throws SQLException {
        if (postgres) {
            OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        String s = rs.getString(column);
        return s == null ? null : Instant.parse(s);
    }
}
