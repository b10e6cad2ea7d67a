package io.keel.store.sql;

import io.keel.core.security.ApiKey;
import io.keel.core.security.ApiKeyStore;
import io.keel.core.budget.Budget;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;

import java.math.BigDecimal;
import java.util.Locale;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** API keys in the {@code api_keys} table (migrated as module {@code keys}), on SQLite or a shared PostgreSQL. */
public final class SqlApiKeyStore implements ApiKeyStore {
    private static final String COLUMNS = "id, name, tenant, role, scopes, acl_groups, requests_per_minute, salt, hash, "
            + "created_ms, expires_ms, revoked_ms, last_used_ms, tokens_per_minute, max_parallel, budget_usd, budget_period, "
            + "allowed_models, allowed_collections";

    private final Database db;

    public SqlApiKeyStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate("keys");
    }

    @Override
    public void insert(ApiKey k) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, k.id());
                ps.setString(2, k.name());
                ps.setString(3, k.tenant());
                ps.setString(4, k.role().wireName());
                ps.setString(5, join(k.scopes()));
                ps.setString(6, join(k.groups()));
                ps.setInt(7, k.requestsPerMinute());
                ps.setString(8, k.salt());
                ps.setString(9, k.hash());
                ps.setLong(10, k.created().toEpochMilli());
                setTime(ps, 11, k.expires());
                setTime(ps, 12, k.revoked());
                setTime(ps, 13, k.lastUsed());
                Principal.Limits l = k.limits();
                ps.setInt(14, l.tokensPerMinute());
                ps.setInt(15, l.maxParallel());
                ps.setString(16, l.budget() == null ? null : l.budget().limitUsd().toPlainString());
                ps.setString(17, l.budget() == null ? null : l.budget().period().name().toLowerCase(Locale.ROOT));
                ps.setString(18, join(l.allowedModels()));
                ps.setString(19, join(l.allowedCollections()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ApiKey> list() {
        return db.withConnection(c -> {
            List<ApiKey> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_ms DESC, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        });
    }

    @Override
    public boolean anyActive(Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys WHERE revoked_ms IS NULL "
                    + "AND (expires_ms IS NULL OR expires_ms > ?) LIMIT 1")) {
                ps.setLong(1, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_ms = COALESCE(revoked_ms, ?) WHERE id = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean expireBy(String id, Instant expires) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET expires_ms = CASE WHEN expires_ms IS NULL "
                    + "OR expires_ms > ? THEN ? ELSE expires_ms END WHERE id = ?")) {
                ps.setLong(1, expires.toEpochMilli());
                ps.setLong(2, expires.toEpochMilli());
                ps.setString(3, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void touch(Map<String, Instant> lastUsed) {
        if (lastUsed.isEmpty()) return;
        Map<String, Instant> ordered = new TreeMap<>(lastUsed);     // one lock order for concurrent flushes
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET last_used_ms = ? WHERE id = ? "
                    + "AND (last_used_ms IS NULL OR last_used_ms < ?)")) {
                for (var e : ordered.entrySet()) {
                    ps.setLong(1, e.getValue().toEpochMilli());
                    ps.setString(2, e.getKey());
                    ps.setLong(3, e.getValue().toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        String budget = rs.getString(16);
        Principal.KeyBudget keyBudget = budget == null ? null
                : new Principal.KeyBudget(Budget.Period.valueOf(rs.getString(17).toUpperCase(Locale.ROOT)), new BigDecimal(budget));
        Principal.Limits limits = new Principal.Limits(rs.getInt(7), rs.getInt(14), rs.getInt(15), keyBudget,
                split(rs.getString(18)), split(rs.getString(19)));
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), Role.parse(rs.getString(4)), split(rs.getString(5)),
                split(rs.getString(6)), limits, rs.getString(8), rs.getString(9), Instant.ofEpochMilli(rs.getLong(10)),
                time(rs, 11), time(rs, 12), time(rs, 13));
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static String join(Set<String> values) {
        return values.stream().sorted().collect(Collectors.joining(","));
    }

    private static Set<String> split(String s) {
        if (s == null || s.isEmpty()) return Set.of();
        return Set.copyOf(Arrays.asList(s.split(",")));
    }
}
