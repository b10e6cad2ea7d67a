package io.keel.prompts;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.store.sql.Database;
import io.keel.store.sql.Rows;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pushed prompt versions and the labels ({@code production}, {@code staging}, any) that point at them, in Keel's SQL
 * database (module {@code prompts}). Versions are immutable and keyed by content hash, so pushing the same content
 * twice is a no-op; labels move between versions and every move is audited, which is what lets a bad release be
 * rolled back to exactly what ran before. Thread-safe.
 */
public final class PromptStore {
    /** Label names: lower-case letters, digits, dots, dashes, underscores. */
    public static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9._-]{0,99}");

    private final Database db;
    private final Clock clock;
    /** Where label moves are also recorded, in the move's transaction; or null. */
    private volatile SqlAuditLog auditLog;

    /** Uses {@code db}, applying the {@code prompts} migrations first. */
    public PromptStore(Database db) {
        this(db, Clock.systemUTC());
    }

    public PromptStore(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        db.migrate("prompts");
    }

    /**
     * Records every label move in {@code log} as well ({@code prompt.label.changed}, actor: the mover as a user of
     * the default tenant), inside the move's own transaction.
     *
     * @throws IllegalArgumentException when {@code log} lives in another database
     */
    public PromptStore auditTo(SqlAuditLog log) {
        if (log != null && log.database() != db) throw new IllegalArgumentException("the audit log must live in the prompt store's database");
        this.auditLog = log;
        return this;
    }

    /** The outcome of a push: the stored version, and whether this push created it. */
    public record PushResult(StoredPrompt stored, boolean created) {
    }

    /**
     * Stores {@code prompt}'s file text under its content hash. Pushing content that is already stored returns the
     * stored version unchanged.
     *
     * @throws KeelException (conflict) when the prompt's semver already names other content
     */
    public PushResult push(PromptFile prompt, String actor) {
        requireActor(actor);
        PromptVersion v = prompt.version();
        return db.inTransaction(c -> {
            Optional<StoredPrompt> existing = byHash(c, v.id(), v.hash());
            if (existing.isPresent()) return new PushResult(existing.get(), false);
            if (v.semver() != null) {
                Optional<StoredPrompt> same = bySemver(c, v.id(), v.semver());
                if (same.isPresent()) {
                    throw new KeelException(ErrorCode.CONFLICT, "version " + v.semver() + " of prompt '" + v.id() + "' is already "
                            + same.get().version() + " with other content; raise 'version' in " + prompt.origin() + " or remove it");
                }
            }
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO prompt_versions (prompt_id, hash, semver, content, pushed_by, pushed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, v.id());
                ps.setString(2, v.hash());
                ps.setString(3, v.semver());
                ps.setString(4, prompt.text());
                ps.setString(5, actor);
                ps.setLong(6, now.toEpochMilli());
                ps.executeUpdate();
            }
            return new PushResult(new StoredPrompt(v, prompt.text(), actor, now), true);
        });
    }

    /**
     * Points {@code label} of prompt {@code id} at {@code versionRef} (a hash, hash prefix, semver or another label).
     * Moving a label where it already points changes and records nothing.
     *
     * @return the move; {@link LabelChange#unchanged()} when there was nothing to do
     */
    public LabelChange label(String id, String label, String versionRef, String actor) {
        requireActor(actor);
        if (!LABEL.matcher(label).matches() || PromptVersion.SEMVER.matcher(label).matches()) {
            throw KeelException.invalid("label '" + label + "' must match " + LABEL.pattern() + " and start with a letter");
        }
        return db.inTransaction(c -> {
            StoredPrompt target = resolve(c, id, versionRef);
            String from = currentLabel(c, id, label, true);
            LabelChange change = new LabelChange(id, label, LabelChange.LABEL, from, target.version().hash(), actor, clock.instant());
            if (!change.unchanged()) move(c, change);
            return change;
        });
    }

    /**
     * Points {@code label} back at the version it pointed at before its last move, per the audit trail. Repeated
     * rollbacks keep walking back; a later {@link #label} starts a new history from there.
     *
     * @throws KeelException (not found) when the label does not exist; (conflict) when it has no earlier version
     */
    public LabelChange rollback(String id, String label, String actor) {
        requireActor(actor);
        return db.inTransaction(c -> {
            String current = currentLabel(c, id, label, true);
            if (current == null) throw KeelException.notFound("prompt '" + id + "' has no label '" + label + "'" + labelHint(c, id));
            Deque<String> stack = new ArrayDeque<>();
            for (LabelChange ch : history(c, id, label)) {
                if (ch.action().equals(LabelChange.ROLLBACK)) stack.pop();
                else stack.push(ch.toHash());
            }
            if (stack.size() < 2) {
                throw new KeelException(ErrorCode.CONFLICT, "label '" + label + "' of prompt '" + id + "' has no earlier version to roll back to");
            }
            stack.pop();
            LabelChange change = new LabelChange(id, label, LabelChange.ROLLBACK, current, stack.peek(), actor, clock.instant());
            move(c, change);
            return change;
        });
    }

    /**
     * The stored version {@code ref} names: a label, a full hash, a semver, {@code semver+hash}, or an unambiguous
     * hash prefix of at least 4 digits.
     *
     * @throws KeelException (not found) saying what the prompt has
     */
    public StoredPrompt resolve(String id, String ref) {
        return db.withConnection(c -> resolve(c, id, ref));
    }

    /** Every pushed version of {@code id}, oldest first. */
    public List<StoredPrompt> versions(String id) {
        return db.withConnection(c -> query(c, "SELECT prompt_id, hash, semver, content, pushed_by, pushed_at FROM prompt_versions "
                + "WHERE prompt_id = ? ORDER BY pushed_at, hash", id));
    }

    /** The labels of {@code id} and the versions they point at, by label name. */
    public Map<String, PromptVersion> labels(String id) {
        return db.withConnection(c -> {
            Map<String, PromptVersion> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT l.label, v.prompt_id, v.hash, v.semver FROM prompt_labels l "
                    + "JOIN prompt_versions v ON v.prompt_id = l.prompt_id AND v.hash = l.hash WHERE l.prompt_id = ? ORDER BY l.label")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), new PromptVersion(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        });
    }

    /** The audit trail of {@code label} of {@code id}, oldest first. */
    public List<LabelChange> history(String id, String label) {
        return db.withConnection(c -> history(c, id, label));
    }

    /** Ids of every prompt with a pushed version, sorted. */
    public List<String> ids() {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT prompt_id FROM prompt_versions ORDER BY prompt_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    private StoredPrompt resolve(Connection c, String id, String ref) throws SQLException {
        Objects.requireNonNull(ref, "ref");
        String label = currentLabel(c, id, ref, false);
        if (label != null) return byHash(c, id, label).orElseThrow();
        int plus = ref.indexOf('+');
        if (plus > 0) {
            Optional<StoredPrompt> s = byHash(c, id, ref.substring(plus + 1));
            if (s.isPresent() && ref.substring(0, plus).equals(s.get().version().semver())) return s.get();
        } else {
            Optional<StoredPrompt> s = ref.length() == 12 ? byHash(c, id, ref) : Optional.empty();
            if (s.isEmpty()) s = bySemver(c, id, ref);
            if (s.isPresent()) return s.get();
            if (ref.length() >= 4 && ref.length() < 12 && ref.matches("[0-9a-f]+")) {
                List<StoredPrompt> m = query(c, "SELECT prompt_id, hash, semver, content, pushed_by, pushed_at FROM prompt_versions "
                        + "WHERE prompt_id = ? AND hash LIKE ?", id, ref + "%");
                if (m.size() == 1) return m.getFirst();
                if (m.size() > 1) throw KeelException.invalid("'" + ref + "' matches " + m.size() + " versions of prompt '" + id + "'; give more digits");
            }
        }
        List<StoredPrompt> all = query(c, "SELECT prompt_id, hash, semver, content, pushed_by, pushed_at FROM prompt_versions "
                + "WHERE prompt_id = ? ORDER BY pushed_at, hash", id);
        if (all.isEmpty()) throw KeelException.notFound("prompt '" + id + "' has never been pushed; run 'keel prompts push'");
        throw KeelException.notFound("prompt '" + id + "' has no label or version '" + ref + "'; versions: "
                + String.join(", ", all.stream().map(s -> s.version().ref()).toList()) + labelHint(c, id));
    }

    private String labelHint(Connection c, String id) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT label FROM prompt_labels WHERE prompt_id = ? ORDER BY label")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        return names.isEmpty() ? "; no labels" : "; labels: " + String.join(", ", names);
    }

    private String currentLabel(Connection c, String id, String label, boolean lock) throws SQLException {
        String sql = "SELECT hash FROM prompt_labels WHERE prompt_id = ? AND label = ?"
                + (lock && db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, label);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void move(Connection c, LabelChange ch) throws SQLException {
        String sql = ch.fromHash() == null
                ? "INSERT INTO prompt_labels (hash, moved_by, moved_at, prompt_id, label) VALUES (?, ?, ?, ?, ?)"
                : "UPDATE prompt_labels SET hash = ?, moved_by = ?, moved_at = ? WHERE prompt_id = ? AND label = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, ch.toHash());
            ps.setString(2, ch.actor());
            ps.setLong(3, ch.at().toEpochMilli());
            ps.setString(4, ch.promptId());
            ps.setString(5, ch.label());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prompt_label_audit "
                + "(prompt_id, label, action, from_hash, to_hash, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, ch.promptId());
            ps.setString(2, ch.label());
            ps.setString(3, ch.action());
            ps.setString(4, ch.fromHash());
            ps.setString(5, ch.toHash());
            ps.setString(6, ch.actor());
            ps.setLong(7, ch.at().toEpochMilli());
            ps.executeUpdate();
        }
        SqlAuditLog log = auditLog;
        if (log != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("prompt", ch.promptId());
            details.put("label", ch.label());
            details.put("move", ch.action());
            details.put("from", ch.fromHash());
            details.put("to", ch.toHash());
            log.append(c, new AuditEvent(ch.at(), AuditActor.user(ch.actor()), AuditEvent.PROMPT_LABEL_CHANGED,
                    "prompt:" + ch.promptId() + "#" + ch.label(), details));
        }
    }

    private List<LabelChange> history(Connection c, String id, String label) throws SQLException {
        List<LabelChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT prompt_id, label, action, from_hash, to_hash, actor, at "
                + "FROM prompt_label_audit WHERE prompt_id = ? AND label = ? ORDER BY seq")) {
            ps.setString(1, id);
            ps.setString(2, label);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LabelChange(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                }
            }
        }
        return out;
    }

    private Optional<StoredPrompt> byHash(Connection c, String id, String hash) throws SQLException {
        return query(c, "SELECT prompt_id, hash, semver, content, pushed_by, pushed_at FROM prompt_versions WHERE prompt_id = ? AND hash = ?",
                id, hash).stream().findFirst();
    }

    private Optional<StoredPrompt> bySemver(Connection c, String id, String semver) throws SQLException {
        return query(c, "SELECT prompt_id, hash, semver, content, pushed_by, pushed_at FROM prompt_versions WHERE prompt_id = ? AND semver = ?",
                id, semver).stream().findFirst();
    }

    private static List<StoredPrompt> query(Connection c, String sql, String... args) throws SQLException {
        return Rows.query(c, sql, rs -> new StoredPrompt(new PromptVersion(rs.getString(1), rs.getString(2), rs.getString(3)),
                rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))), (Object[]) args);
    }

    private static void requireActor(String actor) {
        if (actor == null || actor.isBlank()) throw KeelException.invalid("who is making the change (actor) is required for the audit trail");
    }
}
