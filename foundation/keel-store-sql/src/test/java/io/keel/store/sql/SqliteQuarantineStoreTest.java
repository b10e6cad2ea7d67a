package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link QuarantineStoreContract} on a SQLite file in the test's temporary folder. */
class SqliteQuarantineStoreTest extends QuarantineStoreContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
