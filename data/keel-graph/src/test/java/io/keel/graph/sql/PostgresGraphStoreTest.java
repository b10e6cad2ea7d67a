package io.keel.graph.sql;

import io.keel.test.TestDatabase;

/** {@link GraphStoreContract} on PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema; fails when it is down. */
class PostgresGraphStoreTest extends GraphStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
