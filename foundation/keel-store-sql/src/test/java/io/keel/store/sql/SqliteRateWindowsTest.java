package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link RateWindowsContract} on Sqlite. */
class SqliteRateWindowsTest extends RateWindowsContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
