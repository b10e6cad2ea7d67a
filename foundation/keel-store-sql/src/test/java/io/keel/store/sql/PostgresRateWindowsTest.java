package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link RateWindowsContract} on Postgres. */
class PostgresRateWindowsTest extends RateWindowsContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
