package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link ExperimentOutcomesContract} on PostgreSQL in a fresh schema per test; fails when it is down. */
class PostgresExperimentOutcomesTest extends ExperimentOutcomesContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
