package io.keel.experiments;

import io.keel.test.TestDatabase;

class PostgresExperimentStoreTest extends ExperimentStoreContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
