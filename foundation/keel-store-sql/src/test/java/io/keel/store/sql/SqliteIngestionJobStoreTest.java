package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link IngestionJobStoreContract} on a SQLite file in the test's temporary folder. */
class SqliteIngestionJobStoreTest extends IngestionJobStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
