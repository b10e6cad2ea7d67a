package io.keel.registry;

import io.keel.store.sql.Database;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The database a registry suite runs on — a SQLite file in the test's temporary folder or a fresh PostgreSQL schema,
 * as the subclass's {@link #engine()} says — and what a test opened on it, closed newest first after the test.
 */
abstract class RegistryDatabase {
    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase database;

    /** The database engine the subclass runs the suite on. */
    abstract TestDatabase.Engine engine();

    /** Opens a new connection pool on the database under test; every call reaches the same tables. */
    Database openDatabase() {
        if (database == null) database = TestDatabase.create(engine(), dir);
        return database.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(database.sqliteFile())
                : Database.postgres(database.jdbcUrl(), TestDatabase.PG_USER, null, 4);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        open.clear();
        if (database != null) database.close();
    }
}
