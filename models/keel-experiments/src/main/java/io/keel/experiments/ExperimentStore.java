package io.keel.experiments;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Experiments managed at run time, in the SQL store every instance shares: {@code keel experiments create|start|stop}
 * and the {@code /v1/experiments} routes. A definition is the same YAML as a file in {@code experiments.dir}, checked
 * the same way when it is created; it is then a draft, runs once started, and stops for good when stopped or
 * promoted. Every change is written to the audit log in the change's own transaction, with who made it. Running
 * instances pick changes up by polling {@link #changeMark()} (see {@link LiveExperiments}). Thread-safe.
 */
public final class ExperimentStore {
    /** Where a stored experiment is in its life. */
    public enum State {
        DRAFT, RUNNING, STOPPED, PROMOTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** One stored experiment. */
    public record Stored(Experiment experiment, String definition, State state, String createdBy, Instant createdAt,
                         String updatedBy, Instant updatedAt) {
    }

    public static final String MODULE = "experiments";
    private static final String COLUMNS = "name, definition, state, created_by, created_at, updated_by, updated_at";

    private final Database db;
    private final SqlAuditLog audit;
    private final Clock clock;

    /** @param audit where every change is also recorded; it must live in {@code db} */
    public ExperimentStore(Database db, SqlAuditLog audit, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (audit.database() != db) throw new IllegalArgumentException("the audit log must live in the experiment store's database");
        db.migrate(MODULE);
    }

    public ExperimentStore(Database db, SqlAuditLog audit) {
        this(db, audit, Clock.systemUTC());
    }

    /**
     * Stores a new experiment as a draft.
     *
     * @param definition the YAML of one experiment, as in {@code experiments.dir}
     * @param fileNames  the names of the experiments defined by files, which a stored one may not reuse
     * @throws KeelException invalid (naming the field) when the definition is wrong; conflict when the name is taken
     */
    public Stored create(String definition, AuditActor actor, java.util.Set<String> fileNames) {
        Experiment e = ExperimentFiles.parse(definition, "the definition");
        if (fileNames.contains(e.name())) {
            throw new KeelException(ErrorCode.CONFLICT, "experiment '" + e.name() + "' is defined by a file in experiments.dir; choose another name");
        }
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            if (find(c, e.name()).isPresent()) {
                throw new KeelException(ErrorCode.CONFLICT, "experiment '" + e.name() + "' already exists; experiments are not edited in place: "
                        + "stop it and create one under a new name (or a new salt, to reshuffle units)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiments (" + COLUMNS + ", change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.name());
                ps.setString(2, definition);
                ps.setString(3, State.DRAFT.wireName());
                ps.setString(4, actor.id());
                ps.setLong(5, now.toEpochMilli());
                ps.setString(6, actor.id());
                ps.setLong(7, now.toEpochMilli());
                ps.setLong(8, nextSeq(c));
                ps.executeUpdate();
            }
            audit.append(c, new AuditEvent(now, actor, "experiment.created", "experiment:" + e.name(),
                    Map.of("variants", e.variants().stream().map(VariantDefinition::name).toList())));
            return new Stored(e, definition, State.DRAFT, actor.id(), now, actor.id(), now);
        });
    }

    /**
     * Starts a draft. The running experiments, those of files included, must still form a valid set with it (layers
     * and the settings they vary, see {@link ExperimentSet}), which {@code check} may examine further (the models and
     * prompt versions its variants name exist).
     *
     * @param others the other experiments that run (files and stored), to check it against
     */
    public Stored start(String name, AuditActor actor, List<Experiment> others, Consumer<ExperimentSet> check) {
        // checked before the transaction: a check may read the store on connections of its own
        Stored draft = draft(db.withConnection(c -> require(c, name)));
        List<Experiment> all = new ArrayList<>(others.stream().filter(o -> !o.name().equals(name)).toList());
        all.add(draft.experiment());
        check.accept(new ExperimentSet(all));
        return db.inTransaction(c -> change(c, draft(require(c, name)), State.RUNNING, actor, "experiment.started", Map.of()));
    }

    private static Stored draft(Stored s) {
        if (s.state() != State.DRAFT) {
            throw new KeelException(ErrorCode.CONFLICT, "experiment '" + s.experiment().name() + "' is " + s.state().wireName()
                    + "; only a draft can be started");
        }
        return s;
    }

    /** {@link #start(String, AuditActor, List, Consumer)} checking layers and settings only. */
    public Stored start(String name, AuditActor actor, List<Experiment> others) {
        return start(name, actor, others, set -> { });
    }

    /** Stops a draft or a running experiment for good; its records stay for reports. */
    public Stored stop(String name, AuditActor actor) {
        return db.inTransaction(c -> {
            Stored s = require(c, name);
            if (s.state() == State.STOPPED || s.state() == State.PROMOTED) {
                throw new KeelException(ErrorCode.CONFLICT, "experiment '" + name + "' is already " + s.state().wireName());
            }
            return change(c, s, State.STOPPED, actor, "experiment.stopped", Map.of());
        });
    }

    /**
     * Records the promotion of {@code variant} and stops the experiment, in one transaction with its audit entry.
     *
     * @param details what the promotion changed and what is left to do by hand, for the audit log
     */
    public Stored promoted(String name, String variant, AuditActor actor, Map<String, Object> details) {
        return db.inTransaction(c -> {
            Stored s = require(c, name);
            if (s.state() == State.PROMOTED) throw new KeelException(ErrorCode.CONFLICT, "experiment '" + name + "' was already promoted");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("variant", variant);
            d.putAll(details);
            return change(c, s, State.PROMOTED, actor, "experiment.promoted", d);
        });
    }

    public Optional<Stored> find(String name) {
        return db.withConnection(c -> find(c, name));
    }

    /** Every stored experiment, by name. */
    public List<Stored> list() {
        return db.withConnection(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM experiments ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        });
    }

    /** The stored experiments that run now. */
    public List<Experiment> running() {
        return list().stream().filter(s -> s.state() == State.RUNNING).map(Stored::experiment).toList();
    }

    /**
     * Differs after every change (it lists each experiment's state and last change): an instance that saw another mark
     * reloads. Concurrent changes on several instances cannot hide each other, as a single counter could.
     */
    public String changeMark() {
        return db.withConnection(c -> {
            StringBuilder mark = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, state, change_seq, updated_at FROM experiments ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    mark.append(rs.getString(1)).append(':').append(rs.getString(2)).append(':').append(rs.getLong(3))
                            .append(':').append(rs.getLong(4)).append(';');
                }
            }
            return mark.toString();
        });
    }

    private Stored change(Connection c, Stored s, State to, AuditActor actor, String action, Map<String, Object> details)
            throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("UPDATE experiments SET state = ?, updated_by = ?, updated_at = ?, change_seq = ? WHERE name = ?")) {
            ps.setString(1, to.wireName());
            ps.setString(2, actor.id());
            ps.setLong(3, now.toEpochMilli());
            ps.setLong(4, nextSeq(c));
            ps.setString(5, s.experiment().name());
            ps.executeUpdate();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", s.state().wireName());
        d.put("to", to.wireName());
        d.putAll(details);
        audit.append(c, new AuditEvent(now, actor, action, "experiment:" + s.experiment().name(), d));
        return new Stored(s.experiment(), s.definition(), to, s.createdBy(), s.createdAt(), actor.id(), now);
    }

    private static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(change_seq), 0) + 1 FROM experiments");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Stored require(Connection c, String name) throws SQLException {
        return find(c, name).orElseThrow(() -> KeelException.notFound("no stored experiment named '" + name
                + "'; create it with: keel experiments create FILE"));
    }

    private static Optional<Stored> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM experiments WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Stored read(ResultSet rs) throws SQLException {
        String definition = rs.getString(2);
        return new Stored(ExperimentFiles.parse(definition, "stored experiment '" + rs.getString(1) + "'"), definition,
                State.parse(rs.getString(3)), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)));
    }
}
