package io.keel.prompts;

import io.keel.store.sql.Database;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The database a prompt store suite runs on — a SQLite file in the test's temporary folder or a fresh PostgreSQL
 * schema, as the subclass's {@link #engine()} says — with every pool a test opened closed after it, newest first.
 */
abstract class PromptDatabase {
    @TempDir
    Path dir;
    private final List<Database> opened = new ArrayList<>();
    private TestDatabase database;

    /** The database engine the subclass runs the suite on. */
    abstract TestDatabase.Engine engine();

    /** A new connection pool on the database under test; every call reaches the same tables. */
    Database open() {
        if (database == null) database = TestDatabase.create(engine(), dir);
        Database db = database.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(database.sqliteFile())
                : Database.postgres(database.jdbcUrl(), TestDatabase.PG_USER, null, 2);
        opened.add(db);
        return db;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (Database db : opened.reversed()) db.close();
        opened.clear();
        if (database != null) database.close();
    }
}
