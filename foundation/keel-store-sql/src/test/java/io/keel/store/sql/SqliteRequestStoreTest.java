package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link RequestStoreContract} on a SQLite file in the test's temporary folder. */
class SqliteRequestStoreTest extends RequestStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
