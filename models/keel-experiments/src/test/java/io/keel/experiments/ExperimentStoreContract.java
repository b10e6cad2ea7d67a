package io.keel.experiments;

import io.keel.core.error.KeelException;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.query.Query;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditQuery;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The experiment store on each engine, seen by two instances (two connection pools on one database): what one starts
 * or stops, the other runs or stops running after a refresh; every change is audited with its actor.
 */
abstract class ExperimentStoreContract {
    private static final AuditActor ALICE = AuditActor.user("alice");
    private static final String MODES = "name: modes\nunit: request\nvariants: [{name: hybrid}, {name: bm25, overrides: {retrieval.mode: bm25}}]\n";

    @TempDir
    Path dir;
    private final List<Database> opened = new ArrayList<>();
    private final List<LiveExperiments> live = new ArrayList<>();
    private TestDatabase database;

    abstract TestDatabase.Engine engine();

    private Database open() {
        if (database == null) database = TestDatabase.create(engine(), dir);
        Database db = database.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(database.sqliteFile())
                : Database.postgres(database.jdbcUrl(), TestDatabase.PG_USER, null, 2);
        opened.add(db);
        return db;
    }

    private static ExperimentStore store(Database db) {
        return new ExperimentStore(db, new SqlAuditLog(db));
    }

    private LiveExperiments instance(Database db, List<Experiment> files) {
        LiveExperiments l = new LiveExperiments(files, store(db), Clock.systemUTC(), set -> { }, r -> null);
        live.add(l);
        return l;
    }

    private static String arm(LiveExperiments l) {
        return l.resolve(QueryRequest.start("r1", "/v1/query", Query.of("q", 3))).name();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (LiveExperiments l : live) l.close();
        for (Database db : opened.reversed()) db.close();
        if (database != null) database.close();
    }

    @Test
    void whatOneInstanceStartsAndStopsTheOtherRunsAfterARefresh() {
        Database one = open();
        Database two = open();
        LiveExperiments a = instance(one, List.of());
        LiveExperiments b = instance(two, List.of());
        ExperimentStore store = store(one);

        store.create(MODES, ALICE, Set.of());
        assertThat(b.refresh()).isTrue();
        assertThat(b.names()).as("a draft does not run").isEmpty();
        assertThat(arm(b)).isNull();

        store.start("modes", ALICE, List.of());
        assertThat(b.refresh()).isTrue();
        assertThat(b.refresh()).as("nothing changed since").isFalse();
        assertThat(b.names()).containsExactly("modes");
        assertThat(arm(b)).isIn("hybrid", "bm25");
        assertThat(a.refresh()).isTrue();
        assertThat(a.names()).containsExactly("modes");

        store(two).stop("modes", AuditActor.user("bob"));
        a.refresh();
        assertThat(a.names()).isEmpty();
        assertThat(a.find("modes")).as("a stopped experiment is still found for its report").isPresent();

        List<String> trail = new SqlAuditLog(one).find(new AuditQuery(null, null, null, null, null, null, 100)).stream()
                .filter(e -> e.event().target().equals("experiment:modes"))
                .map(e -> e.event().action() + " by " + e.event().actor().id()).toList();
        assertThat(trail).containsExactlyInAnyOrder("experiment.created by alice", "experiment.started by alice",
                "experiment.stopped by bob");
    }

    @Test
    void mistakesAreRefusedWithTheirReason() {
        ExperimentStore store = store(open());
        assertThatThrownBy(() -> store.create(MODES.replace("bm25}", "fuzzy}"), ALICE, Set.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("variants[1].overrides.retrieval.mode");
        assertThatThrownBy(() -> store.create(MODES, ALICE, Set.of("modes")))
                .isInstanceOf(KeelException.class).hasMessageContaining("defined by a file");
        store.create(MODES, ALICE, Set.of());
        assertThatThrownBy(() -> store.create(MODES, ALICE, Set.of())).isInstanceOf(KeelException.class).hasMessageContaining("already exists");
        // another running experiment of another layer varies the same setting
        Experiment rival = ExperimentFiles.parse("name: rival\nunit: request\nvariants: [{name: a}, {name: b, overrides: {retrieval.mode: dense}}]\n", "rival.yaml");
        assertThatThrownBy(() -> store.start("modes", ALICE, List.of(rival))).isInstanceOf(KeelException.class)
                .hasMessageContaining("must share a layer");
        assertThat(store.find("modes").orElseThrow().state()).isEqualTo(ExperimentStore.State.DRAFT);
        assertThatThrownBy(() -> store.stop("nope", ALICE)).isInstanceOf(KeelException.class).hasMessageContaining("no stored experiment named 'nope'");
        store.stop("modes", ALICE);
        assertThatThrownBy(() -> store.start("modes", ALICE, List.of())).isInstanceOf(KeelException.class).hasMessageContaining("only a draft");
    }
}
