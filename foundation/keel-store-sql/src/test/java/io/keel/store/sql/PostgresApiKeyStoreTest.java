package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link ApiKeyStoreContract} on PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema per test; fails when it is down. */
class PostgresApiKeyStoreTest extends ApiKeyStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
