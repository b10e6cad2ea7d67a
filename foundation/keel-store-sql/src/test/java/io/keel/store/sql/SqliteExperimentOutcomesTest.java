package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link ExperimentOutcomesContract} on a SQLite file in the test's temporary folder. */
class SqliteExperimentOutcomesTest extends ExperimentOutcomesContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
