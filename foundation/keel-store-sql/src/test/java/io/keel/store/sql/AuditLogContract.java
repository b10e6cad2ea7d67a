package io.keel.store.sql;

import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditQuery;
import io.keel.core.security.AuditVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit log's chain, reads and tamper detection, run against every dialect; tampering is done in plain SQL. */
abstract class AuditLogContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final AuditActor ALICE = new AuditActor("acme", "alice");

    /** Lifts the append-only triggers, as someone holding the database could. */
    protected abstract void dropAppendOnlyTriggers(Connection c) throws SQLException;

    SqlAuditLog log(Database db) {
        return new SqlAuditLog(db, Clock.fixed(T0, ZoneOffset.UTC));
    }

    /** {@code n} entries, one a minute, alternating two actions and two actors. */
    static void fill(SqlAuditLog log, int n) {
        for (int i = 1; i <= n; i++) {
            AuditActor who = i % 2 == 0 ? ALICE : new AuditActor("globex", "key_" + i);
            String action = i % 3 == 0 ? AuditEvent.DOCUMENT_DELETED : AuditEvent.MODEL_PROMOTED;
            log.append(new AuditEvent(T0.plusSeconds(60L * i), who, action, "target-" + i,
                    Map.of("n", i, "note", "entry \"" + i + "\"", "nested", Map.of("z", true, "a", List.of(1, 2)))));
        }
    }

    /** A log over {@code db} with {@link #fill(SqlAuditLog, int) n entries}. */
    SqlAuditLog filled(Database db, int n) {
        SqlAuditLog log = log(db);
        fill(log, n);
        return log;
    }

    /**
     * A fresh log of {@code entries} entries, tampered with by {@code statements}, fails verification at
     * {@code position} with a problem naming {@code word}.
     */
    void assertTamperingFound(int entries, long position, String word, String... statements) {
        Database db = db();
        SqlAuditLog log = filled(db, entries);
        sql(db, statements);
        assertBrokenAt(log.verify(), position, word);
    }

    void sql(Database db, String... statements) {
        db.withConnection(c -> {
            dropAppendOnlyTriggers(c);
            try (Statement s = c.createStatement()) {
                for (String st : statements) s.executeUpdate(st);
            }
            return null;
        });
    }

    static void assertBrokenAt(AuditVerification v, long position, String word) {
        assertThat(v.intact()).as(v.toString()).isFalse();
        assertThat(v.firstBad()).as(v.toString()).isEqualTo(position);
        assertThat(v.problem()).contains(word);
    }

    @Test
    void appendsFormOneChainThatVerifiesAndReadsBack() {
        Database db = db();
        SqlAuditLog log = log(db);
        assertThat(log.verify()).satisfies(v -> {
            assertThat(v.intact()).isTrue();
            assertThat(v.entries()).isZero();
        });
        AuditEntry first = log.append(AuditEvent.of(ALICE, AuditEvent.REQUESTS_PURGED, "requests", Map.of("count", 3)));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo("0".repeat(64));
        assertThat(first.event().at()).isEqualTo(T0);
        fill(log, 20);

        AuditVerification v = log(db()).verify();
        assertThat(v.intact()).as(v.toString()).isTrue();
        assertThat(v.entries()).isEqualTo(21);
        List<AuditEntry> newest = log.find(AuditQuery.latest());
        assertThat(newest).hasSize(21);
        assertThat(newest.getFirst().seq()).isEqualTo(21);
        assertThat(v.headHash()).isEqualTo(newest.getFirst().hash());
        for (int i = 0; i < newest.size() - 1; i++) assertThat(newest.get(i).prevHash()).isEqualTo(newest.get(i + 1).hash());

        AuditEntry e = newest.get(1); // seq 20: the 19th of fill, by a globex key
        assertThat(e.event().actor()).isEqualTo(new AuditActor("globex", "key_19"));
        assertThat(e.event().action()).isEqualTo(AuditEvent.MODEL_PROMOTED);
        assertThat(e.event().at()).isEqualTo(T0.plusSeconds(60L * 19));
        assertThat(e.event().details()).containsEntry("n", 19).containsEntry("note", "entry \"19\"")
                .containsEntry("nested", Map.of("a", List.of(1, 2), "z", true));

        List<AuditEntry> deletes = log.find(new AuditQuery(null, null, null, null, AuditEvent.DOCUMENT_DELETED, null, 100));
        assertThat(deletes).extracting(AuditEntry::seq).containsExactly(19L, 16L, 13L, 10L, 7L, 4L);
        List<AuditEntry> alice = log.find(new AuditQuery(T0.plusSeconds(60L * 5), T0.plusSeconds(60L * 11), "acme", "alice", null, null, 100));
        assertThat(alice).extracting(AuditEntry::seq).containsExactly(11L, 9L, 7L);
        List<AuditEntry> page = log.find(new AuditQuery(null, null, null, null, null, 11L, 3));
        assertThat(page).extracting(AuditEntry::seq).containsExactly(10L, 9L, 8L);
    }

    @Test
    void theTableRefusesUpdatesAndDeletes() {
        Database db = db();
        SqlAuditLog log = filled(db, 2);
        for (String st : List.of("UPDATE audit_log SET target = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 2")) {
            assertThatThrownBy(() -> db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate(st);
                }
            })).hasMessageContaining("append-only");
        }
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void anEditedActorOrTimeIsFoundAtItsEntry() {
        Database db = db();
        SqlAuditLog log = filled(db, 10);
        sql(db, "UPDATE audit_log SET actor_id = 'mallory' WHERE seq = 9");
        assertBrokenAt(log.verify(), 9, "altered");
        Database other = db();
        sql(other, "UPDATE audit_log SET actor_id = 'key_9' WHERE seq = 9", "UPDATE audit_log SET at_ms = at_ms + 1 WHERE seq = 2");
        assertBrokenAt(log.verify(), 2, "altered");
    }

    @Test
    void anEntryEditedIntoNonsenseFailsReadsWithAPointerToVerify() {
        Database db = db();
        SqlAuditLog log = filled(db, 3);
        sql(db, "UPDATE audit_log SET action = 'DROP TABLE' WHERE seq = 2");
        assertThatThrownBy(() -> log.find(AuditQuery.latest())).isInstanceOf(io.keel.core.error.KeelException.class)
                .hasMessageContaining("audit entry 2").hasMessageContaining("keel audit verify");
        assertBrokenAt(log.verify(), 2, "altered");
    }

    /** Tamperings a verify finds: name, entries in the log, the entry found, a word of the problem, the SQL. */
    static Stream<Arguments> tamperings() {
        return Stream.of(
                Arguments.of("anEditedDetailIsFoundAtItsEntry", 10, 6L, "altered", new String[] {
                        "UPDATE audit_log SET details = '{\"n\":6,\"note\":\"harmless\"}' WHERE seq = 6"}),
                Arguments.of("aDeletedMiddleEntryIsFoundWhereItWas", 10, 5L, "missing", new String[] {
                        "DELETE FROM audit_log WHERE seq = 5"}),
                Arguments.of("aDeletedEntryWithTheRestRenumberedIsFoundWhereItWas", 10, 5L, "does not follow", new String[] {
                        "DELETE FROM audit_log WHERE seq = 5", "UPDATE audit_log SET seq = -(seq - 1) WHERE seq > 5",
                        "UPDATE audit_log SET seq = -seq WHERE seq < 0", "UPDATE audit_head SET seq = 9"}),
                Arguments.of("aDeletedTailIsFoundByTheHead", 10, 9L, "missing", new String[] {
                        "DELETE FROM audit_log WHERE seq >= 9"}),
                Arguments.of("twoSwappedEntriesAreFoundAtTheFirst", 10, 3L, "does not follow", new String[] {
                        "UPDATE audit_log SET seq = -3 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = 7",
                        "UPDATE audit_log SET seq = 7 WHERE seq = -3"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void tamperingIsFoundWhereItHappened(String name, int entries, long position, String word, String[] statements) {
        assertTamperingFound(entries, position, word, statements);
    }

    @Test
    void aForgedEntryInsertedInTheMiddleIsFoundAtItsPosition() {
        Database db = db();
        SqlAuditLog log = filled(db, 10);
        // the forger knows the hashing scheme: the forged entry itself is well-formed and links to entry 5
        String prev = log.find(new AuditQuery(null, null, null, null, null, 6L, 1)).getFirst().hash();
        long at = T0.plusSeconds(330).toEpochMilli();
        String details = "{\"note\":\"approved\"}";
        String hash = AuditChain.sha256(AuditChain.canonical(6, at, "acme", "alice", "key.created", "key:backdoor", details, prev));
        sql(db, "UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 6", "UPDATE audit_log SET seq = -seq WHERE seq < 0",
                "INSERT INTO audit_log (seq, at_ms, actor_tenant, actor_id, action, target, details, prev_hash, hash) VALUES (6, "
                        + at + ", 'acme', 'alice', 'key.created', 'key:backdoor', '" + details + "', '" + prev + "', '" + hash + "')",
                "UPDATE audit_head SET seq = 11");
        assertBrokenAt(log.verify(), 6, "inserted");
    }

    @Test
    void aForgedEntryAppendedBehindTheLogsBackIsFound() {
        Database db = db();
        SqlAuditLog log = filled(db, 4);
        String prev = log.verify().headHash();
        String hash = AuditChain.sha256(AuditChain.canonical(5, 0, "acme", "alice", "role.changed", "x", "{}", prev));
        sql(db, "INSERT INTO audit_log (seq, at_ms, actor_tenant, actor_id, action, target, details, prev_hash, hash) VALUES "
                + "(5, 0, 'acme', 'alice', 'role.changed', 'x', '{}', '" + prev + "', '" + hash + "')");
        assertBrokenAt(log.verify(), 5, "outside the log");
        // a forger who does not know the scheme is caught by the entry's own hash
        sql(db, "UPDATE audit_head SET seq = 5, hash = 'abc'", "UPDATE audit_log SET hash = 'abc' WHERE seq = 5",
                "UPDATE audit_log SET target = 'y' WHERE seq = 5");
        assertBrokenAt(log.verify(), 5, "altered");
    }

    @Test
    void anAppendRolledBackWithItsTransactionLeavesNoEntryAndNoGap() {
        Database db = db();
        SqlAuditLog log = filled(db, 2);
        assertThatThrownBy(() -> db.inTransaction(c -> {
            log.append(c, AuditEvent.of(ALICE, AuditEvent.MODEL_PROMOTED, "m", Map.of()));
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        AuditEntry next = log.append(AuditEvent.of(ALICE, AuditEvent.MODEL_PROMOTED, "m", Map.of()));
        assertThat(next.seq()).isEqualTo(3);
        assertThat(log.verify()).satisfies(v -> assertThat(v.intact()).as(v.toString()).isTrue());
    }

    @Test
    void concurrentAppendsFromTwoThreadsAndTwoInstancesKeepOneChain() throws Exception {
        SqlAuditLog a = log(db());
        SqlAuditLog b = new SqlAuditLog(db(), Clock.systemUTC());
        int perWriter = 100;
        List<SqlAuditLog> writers = List.of(a, a, b, b);
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        long started = System.nanoTime();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                SqlAuditLog log = writers.get(w);
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        log.append(AuditEvent.of(new AuditActor("t" + writer, "w"), AuditEvent.KEY_CREATED, "k" + i, Map.of("i", i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        long appended = System.nanoTime();
        AuditVerification v = b.verify();
        long verified = System.nanoTime();
        System.out.printf("%s: %d appends from 4 threads on 2 instances in %,d ms (%,.0f appends/s); verify of %d entries in %,d ms%n",
                getClass().getSimpleName(), perWriter * writers.size(), (appended - started) / 1_000_000,
                perWriter * writers.size() / ((appended - started) / 1e9), v.entries(), (verified - appended) / 1_000_000);
        assertThat(v.intact()).as(v.toString()).isTrue();
        assertThat(v.entries()).isEqualTo((long) perWriter * writers.size());
        for (int w = 0; w < writers.size(); w++) {
            assertThat(a.find(new AuditQuery(null, null, "t" + w, "w", null, null, 1000))).hasSize(perWriter);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
