package io.keel.graph.sql;

import io.keel.test.TestDatabase;

/** {@link GraphStoreContract} on a SQLite file. */
class SqliteGraphStoreTest extends GraphStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
