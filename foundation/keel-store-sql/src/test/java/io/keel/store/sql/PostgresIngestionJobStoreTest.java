package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link IngestionJobStoreContract} on PostgreSQL in a fresh schema per test; fails when it is down. */
class PostgresIngestionJobStoreTest extends IngestionJobStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
