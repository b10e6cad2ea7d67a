package io.keel.store.sql;

import io.keel.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens databases for a dialect's tests and closes whatever a test opened, newest first. A dialect's subclass names
 * only its {@link #engine()}: a SQLite file in the test's temporary folder or a fresh PostgreSQL schema.
 */
abstract class StoreContract {
    private final List<AutoCloseable> opened = new ArrayList<>();
    @TempDir
    Path dir;
    private TestDatabase database;

    /** The database engine the subclass runs the contract on. */
    protected abstract TestDatabase.Engine engine();

    /** A new connection pool on this test's storage (the same file or schema every time within a test). */
    protected Database connect() {
        if (database == null) database = TestDatabase.create(engine(), dir);
        return database.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(database.sqliteFile())
                : Database.postgres(database.jdbcUrl(), TestDatabase.PG_USER, null, 16);
    }

    protected Database db() {
        return track(connect());
    }

    protected <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    @AfterEach
    void closeOpened() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
        opened.clear();
        if (database != null) database.close();
    }
}
