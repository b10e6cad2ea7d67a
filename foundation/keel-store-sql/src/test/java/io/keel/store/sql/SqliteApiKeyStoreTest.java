package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link ApiKeyStoreContract} on a SQLite file in the test's temporary folder. */
class SqliteApiKeyStoreTest extends ApiKeyStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
