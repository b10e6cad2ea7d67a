package io.keel.store.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void sqliteMigratesOnceAndUsesWal() {
        try (Database db = Database.sqlite(dir.resolve("keel.db"))) {
            db.migrate("probe");
            db.migrate("probe");
            db.inTransaction(c -> c.createStatement().executeUpdate("INSERT INTO probe VALUES (1, 'a')"));
            String mode = db.withConnection(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(mode).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aSqliteMigrationThatFindsTheDatabaseBusyIsTriedAgain() throws Exception {
        Path file = dir.resolve("keel.db");
        try (Database db = Database.sqlite(file);
             java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.migrate("probe");
            other.setAutoCommit(false);
            other.createStatement().execute("INSERT INTO probe VALUES (1, 'held')");   // takes the write lock
            long start = System.nanoTime();
            Thread release = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(10_500);   // past the 10 s busy_timeout: the first attempt fails
                    other.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            db.migrate("probe-second");
            release.join();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("the first attempt waited out busy_timeout")
                    .isGreaterThan(java.time.Duration.ofSeconds(10));
            int tables = db.withConnection(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'probe_second'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(tables).isEqualTo(1);
        }
    }

    @Test
    void aFailedTransactionLeavesNothing() {
        try (Database db = Database.sqlite(dir.resolve("keel.db"))) {
            db.migrate("probe");
            assertThatThrownBy(() -> db.inTransaction(c -> {
                c.createStatement().executeUpdate("INSERT INTO probe VALUES (1, 'a')");
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            int rows = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM probe"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isZero();
        }
    }
}
