package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link RequestStoreRandomizedContract} on a SQLite file in the test's temporary folder. */
class SqliteRequestStoreRandomizedTest extends RequestStoreRandomizedContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
