package io.keel.store.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

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
    void sqliteTransactionsThatReadThenWriteWaitForEachOtherInsteadOfFailingBusy() throws Exception {
        try (Database db = Database.sqlite(dir.resolve("keel.db"))) {
            db.migrate("probe");
            int perThread = 150;
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            Runnable readThenWrite = () -> {
                for (int i = 0; i < perThread; i++) {
                    db.inTransaction(c -> {
                        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM probe")) {
                            rs.next();
                        }
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO probe VALUES (?, 'x')")) {
                            ps.setInt(1, next.incrementAndGet());
                            return ps.executeUpdate();
                        }
                    });
                }
            };
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
                List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
                for (int t = 0; t < 3; t++) runs.add(pool.submit(readThenWrite));
                for (var r : runs) r.get();   // a refused transaction (SQLITE_BUSY) surfaces here
            }
            int rows = db.withConnection(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM probe")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(3 * perThread);
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
