package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link QuarantineStoreContract} on PostgreSQL in a fresh schema per test; fails when it is down. */
class PostgresQuarantineStoreTest extends QuarantineStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
