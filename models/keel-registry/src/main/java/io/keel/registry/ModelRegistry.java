package io.keel.registry;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.model.Pricing;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.Dialect;
import io.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The model registry: every model config ever served, as immutable numbered versions, which version holds which
 * {@link Stage}, and an audit trail of who changed what. It lives in the instance's SQL {@link Database} (module
 * {@code registry}), so the CLI, the server and other instances sharing a PostgreSQL database see one truth.
 *
 * <p>Every change runs in one transaction that first bumps a single-row generation counter: that row lock serialises
 * writers across processes on both SQLite and PostgreSQL, and {@link #generation()} is the cheap read a
 * {@link RegistryWatcher} polls to notice changes made elsewhere.
 *
 * <p>Which version to serve: {@link #resolve(String)} — the production version, else the newest version that is not
 * archived. So a keel.yaml edit takes effect at the next start when nobody promotes, and a promotion wins when
 * someone does.
 *
 * <p>The SQL rows are mapped by {@link RegistryRows}; the rest stays one class, longer than most, because every change
 * runs through the same write transaction, generation counter and listener bookkeeping.
 */
public final class ModelRegistry {
    /** The module name of the registry's tables and migrations in the {@link Database}. */
    public static final String MODULE = "registry";
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class.getName());

    private final Database db;
    private final RegistryRows rows;
    private final Consumer<Map<String, Object>> check;
    private final java.time.Clock clock;
    private final List<Consumer<RegistryChange>> listeners = new CopyOnWriteArrayList<>();
    /** Generations committed by this instance, which the watcher must not report again as external. */
    private final Set<Long> ownGenerations = ConcurrentHashMap.newKeySet();
    private final Object pollLock = new Object();
    private long seenGeneration;
    /** Where registrations, promotions, rollbacks and archivals are also recorded, in the same transaction; or null. */
    private volatile SqlAuditLog auditLog;

    /** Opens the registry in {@code db}, creating or migrating its tables. */
    public ModelRegistry(Database db) {
        this(db, config -> {
        });
    }

    /**
     * @param check a further check of a model entry before it is registered, beyond the gateway's parser that
     *              {@link RegisterRequest} already applies; throws (ideally a {@link KeelException}) to refuse it
     */
    public ModelRegistry(Database db, Consumer<Map<String, Object>> check) {
        this(db, check, java.time.Clock.systemUTC());
    }

    /** @param clock the time stamped on versions, stage changes and audit entries (to the millisecond) */
    public ModelRegistry(Database db, Consumer<Map<String, Object>> check, java.time.Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.db = Objects.requireNonNull(db, "db");
        this.check = Objects.requireNonNull(check, "check");
        this.rows = new RegistryRows(db.dialect() == Dialect.POSTGRESQL);
        db.migrate(MODULE);
        this.seenGeneration = generation();
    }

    /**
     * Records every change in {@code log} as well ({@code model.registered}, {@code model.promoted},
     * {@code model.rolled_back}, {@code model.archived}), inside the change's own transaction: a change is never
     * committed without its audit entry. The registry keeps its own trail too, which rollbacks replay.
     *
     * @throws IllegalArgumentException when {@code log} lives in another database
     */
    public ModelRegistry auditTo(SqlAuditLog log) {
        if (log != null && log.database() != db) throw new IllegalArgumentException("the audit log must live in the registry's database");
        this.auditLog = log;
        return this;
    }

    // ---- changes ----------------------------------------------------------------------------------------------------

    /** Registers {@code request}; see {@link #registration}. */
    public ModelVersion register(RegisterRequest request, String actor) {
        return registration(request, actor).version();
    }

    /**
     * Registers a model entry as the next version of its model, in the request's stage (development by default).
     * Idempotent: a config equal to an already registered version of the model (same content hash) returns that
     * version and changes nothing — no new row, no audit entry, whatever the requested stage — so keel.yaml can seed
     * the registry at every start.
     */
    public Registration registration(RegisterRequest request, String actor) {
        return registration(request, AuditActor.user(actor(actor)));
    }

    /** As {@link #registration(RegisterRequest, String)} by {@code actor} (its id is the registry trail's actor). */
    public Registration registration(RegisterRequest request, AuditActor actor) {
        Objects.requireNonNull(request, "request");
        AuditActor who = Objects.requireNonNull(actor, "actor");
        validate(request.config());
        String name = request.name();
        String hash = request.contentHash();
        Optional<ModelVersion> existing = db.withConnection(c -> rows.byHash(c, name, hash));
        if (existing.isPresent()) return new Registration(existing.get(), false);
        Outcome outcome = write(who, tx -> {
            Optional<ModelVersion> raced = rows.byHash(tx.c, name, hash);
            if (raced.isPresent()) throw new Unchanged(raced.get());
            int version = tx.nextVersion(name);
            tx.insertVersion(request, version, hash);
            tx.setStage(name, version, Stage.DEVELOPMENT, true);
            tx.audit(AuditAction.REGISTER, name, null, version, Stage.DEVELOPMENT, request.notes());
            if (request.stage() != Stage.DEVELOPMENT) tx.move(name, version, request.stage(), null);
            return tx.version(name, version);
        });
        return new Registration(outcome.version(), outcome.changed());
    }

    /**
     * Puts version {@code version} of {@code model} in {@code stage}. When another version holds staging or production,
     * that version is archived; the audit trail records both. Moving a version to the stage it is already in changes
     * nothing. Moving it to {@code archived} is recorded as an {@code archive}.
     *
     * @return the version, now in {@code stage}
     */
    public ModelVersion promote(String model, int version, Stage stage, String actor, String note) {
        return promote(model, version, stage, AuditActor.user(actor(actor)), note);
    }

    /** As {@link #promote(String, int, Stage, String, String)} by {@code actor}. */
    public ModelVersion promote(String model, int version, Stage stage, AuditActor actor, String note) {
        Objects.requireNonNull(stage, "stage");
        AuditActor who = Objects.requireNonNull(actor, "actor");
        return write(who, tx -> {
            Stage current = tx.stageOf(model, version);
            if (current == stage) throw new Unchanged(tx.version(model, version));
            tx.move(model, version, stage, note);
            return tx.version(model, version);
        }).version();
    }

    /**
     * Gives {@code stage} (staging or production) back to the version that held it before the current one, as the
     * audit trail tells, and archives the current one. Repeated rollbacks walk further back.
     *
     * @return the version that now holds the stage
     * @throws KeelException {@code conflict} when no version holds the stage or none held it before
     */
    public ModelVersion rollback(String model, Stage stage, String actor, String note) {
        return rollback(model, stage, AuditActor.user(actor(actor)), note);
    }

    /** As {@link #rollback(String, Stage, String, String)} by {@code actor}. */
    public ModelVersion rollback(String model, Stage stage, AuditActor actor, String note) {
        Objects.requireNonNull(stage, "stage");
        if (!stage.exclusive()) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "only staging and production can be rolled back; '" + stage + "' is held by many versions");
        }
        AuditActor who = Objects.requireNonNull(actor, "actor");
        return write(who, tx -> {
            tx.requireModel(model);
            Integer current = tx.holder(model, stage);
            if (current == null) {
                throw new KeelException(ErrorCode.CONFLICT, "no version of '" + model + "' is in " + stage
                        + ", so there is nothing to roll back; promote a version instead (keel models promote " + model + " VERSION --stage " + stage + ")");
            }
            Integer previous = previousHolder(tx.auditTrail(model), stage, current);
            if (previous == null) {
                throw new KeelException(ErrorCode.CONFLICT, "version " + current + " is the first version of '" + model + "' to be in "
                        + stage + "; there is no earlier one to roll back to. To replace it, promote another version "
                        + "(keel models promote " + model + " VERSION --stage " + stage + ")");
            }
            tx.setStage(model, current, Stage.ARCHIVED, false);
            tx.setStage(model, previous, stage, false);
            tx.audit(AuditAction.ROLLBACK, model, current, previous, stage, note);
            tx.audit(AuditAction.ARCHIVE, model, null, current, Stage.ARCHIVED, "rolled back from " + stage + " to version " + previous);
            return tx.version(model, previous);
        }).version();
    }

    /**
     * Replays the audit trail to find the version that held {@code stage} before {@code current}. Each exclusive stage
     * keeps a stack of holders: a promotion pushes, a rollback pops, and a holder that leaves the stage some other way
     * (archived, moved elsewhere) is popped too, so it is not rolled back to.
     */
    static Integer previousHolder(List<AuditEntry> trail, Stage stage, int current) {
        Map<Integer, Stage> stageOf = new HashMap<>();
        Map<Stage, Deque<Integer>> stacks = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) if (s.exclusive()) stacks.put(s, new ArrayDeque<>());
        for (AuditEntry e : trail) {
            Integer v = e.toVersion();
            if (v == null || e.stage() == null) continue;
            if (e.action() == AuditAction.ROLLBACK && e.fromVersion() != null) {
                Deque<Integer> stack = stacks.get(e.stage());
                if (stack != null && Objects.equals(stack.peek(), e.fromVersion())) stack.pop();
                stageOf.put(e.fromVersion(), Stage.ARCHIVED);
            }
            Stage old = stageOf.put(v, e.stage());
            if (old != null && old != e.stage() && old.exclusive() && Objects.equals(stacks.get(old).peek(), v)) {
                // Left the stage without being replaced (archived or moved); a replaced holder is no longer on top.
                stacks.get(old).pop();
            }
            if (e.stage().exclusive() && !Objects.equals(stacks.get(e.stage()).peek(), v)) stacks.get(e.stage()).push(v);
        }
        Deque<Integer> stack = stacks.get(stage);
        if (!Objects.equals(stack.peek(), current)) return null;
        stack.pop();
        while (Objects.equals(stack.peek(), current)) stack.pop();
        return stack.peek();
    }

    // ---- reads ------------------------------------------------------------------------------------------------------

    /** Every model with all its versions, by name. */
    public List<RegisteredModel> models() {
        return db.withConnection(c -> rows.group(rows.versions(c, RegistryRows.VERSIONS + "ORDER BY v.model, v.version")));
    }

    /** One model with its versions. */
    public RegisteredModel model(String name) {
        List<ModelVersion> versions = db.withConnection(c -> rows.versions(c, RegistryRows.VERSIONS + "WHERE v.model = ? ORDER BY v.version", name));
        if (versions.isEmpty()) throw rows.unknownModel(name);
        return new RegisteredModel(name, versions);
    }

    /** One version of a model. */
    public ModelVersion version(String name, int version) {
        return db.withConnection(c -> rows.readVersion(c, name, version));
    }

    /** The version of {@code name} in {@code stage} (for development or archived: the newest one in it). */
    public Optional<ModelVersion> current(String name, Stage stage) {
        List<ModelVersion> found = db.withConnection(c -> rows.versions(c,
                RegistryRows.VERSIONS + "WHERE v.model = ? AND s.stage = ? ORDER BY v.version DESC", name, stage.wireName()));
        return found.stream().findFirst();
    }

    /**
     * The version to serve for {@code name}: the production version; without one, the newest version that is not
     * archived; empty when the model is unknown or every version is archived.
     */
    public Optional<ModelVersion> resolve(String name) {
        List<ModelVersion> found = db.withConnection(c -> rows.versions(c, RegistryRows.VERSIONS + "WHERE v.model = ? ORDER BY v.version", name));
        return found.isEmpty() ? Optional.empty() : new RegisteredModel(name, found).resolved();
    }

    /** The audit trail of {@code name}, oldest first. */
    public List<AuditEntry> audit(String name) {
        return db.withConnection(c -> {
            rows.requireModel(c, name);
            return rows.readAudit(c, "SELECT " + RegistryRows.AUDIT_COLUMNS + " FROM registry_audit WHERE model = ? ORDER BY id", name);
        });
    }

    /** The change counter: bumped by every committed change, from any process. */
    public long generation() {
        return db.withConnection(ModelRegistry::readGeneration);
    }

    // ---- listeners --------------------------------------------------------------------------------------------------

    /**
     * Calls {@code listener} after every change committed through this instance, and — with a {@link RegistryWatcher}
     * running — after changes made by other processes. Listeners run on the writing (or watching) thread; one that
     * throws is logged and does not stop the others.
     */
    public void addListener(Consumer<RegistryChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<RegistryChange> listener) {
        listeners.remove(listener);
    }

    /**
     * Looks for changes committed by other processes or registry instances since the last look and tells the
     * listeners about them; what {@link RegistryWatcher} calls on every tick. One indexed read when nothing changed.
     *
     * @return the change told, if any
     */
    public Optional<RegistryChange> checkForExternalChanges() {
        synchronized (pollLock) {
            long now = generation();
            if (now <= seenGeneration) return Optional.empty();
            long from = seenGeneration;
            List<AuditEntry> entries = db.withConnection(c -> rows.readAudit(c, "SELECT " + RegistryRows.AUDIT_COLUMNS
                    + " FROM registry_audit WHERE generation > ? AND generation <= ? ORDER BY id", from, now));
            seenGeneration = now;
            List<AuditEntry> external = entries.stream().filter(e -> !ownGenerations.contains(e.generation())).toList();
            ownGenerations.removeIf(g -> g <= now);
            if (external.isEmpty()) return Optional.empty();
            RegistryChange change = new RegistryChange(now, external, true);
            fire(change);
            return Optional.of(change);
        }
    }

    private void fire(RegistryChange change) {
        for (Consumer<RegistryChange> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a model registry listener failed on generation " + change.generation() + ": " + e.getMessage(), e);
            }
        }
    }

    // ---- the write path ---------------------------------------------------------------------------------------------

    /** Thrown inside a write to roll it back and return {@code result}: the change turned out to be a no-op. */
    private static final class Unchanged extends RuntimeException {
        final transient ModelVersion result;

        Unchanged(ModelVersion result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    @FunctionalInterface
    private interface WriteWork {
        ModelVersion run(Tx tx) throws SQLException;
    }

    /** What a write returns: the version it acted on, and whether it changed anything. */
    private record Outcome(ModelVersion version, boolean changed) {
    }

    private Outcome write(AuditActor actor, WriteWork work) {
        Tx[] holder = new Tx[1];
        ModelVersion result;
        try {
            result = db.inTransaction(c -> {
                Tx tx = new Tx(c, actor);
                holder[0] = tx;
                tx.generation = bumpGeneration(c);
                ownGenerations.add(tx.generation);
                try {
                    ModelVersion done = work.run(tx);
                    tx.entries.addAll(rows.readAudit(c, "SELECT " + RegistryRows.AUDIT_COLUMNS + " FROM registry_audit WHERE generation = ? ORDER BY id", tx.generation));
                    return done;
                } catch (SQLException | RuntimeException e) {
                    // Before the rollback: once rolled back, another process may commit this generation number.
                    ownGenerations.remove(tx.generation);
                    throw e;
                }
            });
        } catch (Unchanged u) {
            if (holder[0] != null) ownGenerations.remove(holder[0].generation);
            return new Outcome(u.result, false);
        } catch (RuntimeException e) {
            if (holder[0] != null) ownGenerations.remove(holder[0].generation);
            throw e;
        }
        fire(new RegistryChange(holder[0].generation, holder[0].entries, false));
        return new Outcome(result, true);
    }

    /** First statement of every write: takes the write lock (SQLite) or the counter's row lock (PostgreSQL). */
    private static long bumpGeneration(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE registry_generation SET generation = generation + 1 WHERE id = 1")) {
            ps.executeUpdate();
        }
        return readGeneration(c);
    }

    private static long readGeneration(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM registry_generation WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("the registry_generation row is missing; the registry migration did not run");
            return rs.getLong(1);
        }
    }

    /** One write transaction: its connection, actor, time, generation and the audit entries it wrote. */
    private final class Tx {
        final Connection c;
        final String actor;
        final AuditActor auditActor;
        final Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        final List<AuditEntry> entries = new ArrayList<>();
        long generation;

        Tx(Connection c, AuditActor actor) {
            this.c = c;
            this.auditActor = actor;
            this.actor = actor.id();
        }

        int nextVersion(String model) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM registry_model_version WHERE model = ?")) {
                ps.setString(1, model);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }

        void insertVersion(RegisterRequest r, int version, String hash) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registry_model_version (model, version, provider, model_id, "
                    + "endpoints, params, input_per_million, output_per_million, cached_input_per_million, tokenizer, notes, config, "
                    + "content_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Pricing p = r.pricing();
                ps.setString(1, r.name());
                ps.setInt(2, version);
                ps.setString(3, r.provider());
                ps.setString(4, r.modelId());
                ps.setString(5, Configs.json(r.endpoints()));
                ps.setString(6, Configs.json(r.params()));
                ps.setDouble(7, p.inputPerMillion());
                ps.setDouble(8, p.outputPerMillion());
                ps.setDouble(9, p.cachedInputPerMillion());
                ps.setString(10, r.tokenizer());
                ps.setString(11, r.notes());
                ps.setString(12, Configs.json(r.config()));
                ps.setString(13, hash);
                ps.setString(14, actor);
                rows.setInstant(ps, 15, at);
                ps.executeUpdate();
            }
        }

        /** Moves {@code version} to {@code stage}, archiving the holder it replaces; audits both. */
        void move(String model, int version, Stage stage, String note) throws SQLException {
            Integer replaced = stage.exclusive() ? holder(model, stage) : null;
            if (replaced != null) setStage(model, replaced, Stage.ARCHIVED, false);
            setStage(model, version, stage, false);
            audit(stage == Stage.ARCHIVED ? AuditAction.ARCHIVE : AuditAction.PROMOTE, model, replaced, version, stage, note);
            if (replaced != null) {
                audit(AuditAction.ARCHIVE, model, null, replaced, Stage.ARCHIVED, "replaced in " + stage + " by version " + version);
            }
        }

        void setStage(String model, int version, Stage stage, boolean insert) throws SQLException {
            String sql = insert
                    ? "INSERT INTO registry_stage (stage, changed_at, changed_by, model, version) VALUES (?, ?, ?, ?, ?)"
                    : "UPDATE registry_stage SET stage = ?, changed_at = ?, changed_by = ? WHERE model = ? AND version = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, stage.wireName());
                rows.setInstant(ps, 2, at);
                ps.setString(3, actor);
                ps.setString(4, model);
                ps.setInt(5, version);
                ps.executeUpdate();
            }
        }

        Integer holder(String model, Stage stage) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM registry_stage WHERE model = ? AND stage = ?")) {
                ps.setString(1, model);
                ps.setString(2, stage.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : null;
                }
            }
        }

        Stage stageOf(String model, int version) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT stage FROM registry_stage WHERE model = ? AND version = ?")) {
                ps.setString(1, model);
                ps.setInt(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return Stage.parse(rs.getString(1));
                }
            }
            throw rows.unknownVersion(c, model, version);
        }

        void requireModel(String model) throws SQLException {
            rows.requireModel(c, model);
        }

        ModelVersion version(String model, int version) throws SQLException {
            return rows.readVersion(c, model, version);
        }

        List<AuditEntry> auditTrail(String model) throws SQLException {
            return rows.readAudit(c, "SELECT " + RegistryRows.AUDIT_COLUMNS + " FROM registry_audit WHERE model = ? ORDER BY id", model);
        }

        void audit(AuditAction action, String model, Integer from, Integer to, Stage stage, String note) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registry_audit (generation, at, actor, model, action, "
                    + "from_version, to_version, stage, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, generation);
                rows.setInstant(ps, 2, at);
                ps.setString(3, actor);
                ps.setString(4, model);
                ps.setString(5, action.wireName());
                Rows.setInt(ps, 6, from);
                Rows.setInt(ps, 7, to);
                ps.setString(8, stage == null ? null : stage.wireName());
                ps.setString(9, note == null || note.isBlank() ? null : note);
                ps.executeUpdate();
            }
            SqlAuditLog log = auditLog;
            if (log != null) log.append(c, auditEvent(auditActor, at, generation, action, model, from, to, stage, note));
        }
    }

    // ---- SQL helpers ------------------------------------------------------------------------------------------------

    private void validate(Map<String, Object> config) {
        try {
            check.accept(config);
        } catch (KeelException e) {
            throw e.code() == ErrorCode.INVALID_REQUEST ? new KeelException(ErrorCode.UNPROCESSABLE, e.getMessage(), e) : e;
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "the model entry is not valid: " + e.getMessage(), e);
        }
    }

    static AuditEvent auditEvent(AuditActor actor, Instant at, long generation, AuditAction action, String model,
                                 Integer from, Integer to, Stage stage, String note) {
        String name = switch (action) {
            case REGISTER -> AuditEvent.MODEL_REGISTERED;
            case PROMOTE -> AuditEvent.MODEL_PROMOTED;
            case ROLLBACK -> AuditEvent.MODEL_ROLLED_BACK;
            case ARCHIVE -> AuditEvent.MODEL_ARCHIVED;
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", model);
        if (from != null) details.put("from_version", from);
        if (to != null) details.put("to_version", to);
        if (stage != null) details.put("stage", stage.wireName());
        if (note != null && !note.isBlank()) details.put("note", note);
        details.put("generation", generation);
        return new AuditEvent(at, actor, name, "model:" + model + (to == null ? "" : "@" + to), details);
    }

    private static String actor(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor.strip();
    }
}
