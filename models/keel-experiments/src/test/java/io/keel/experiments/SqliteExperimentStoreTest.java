package io.keel.experiments;

import io.keel.test.TestDatabase;

class SqliteExperimentStoreTest extends ExperimentStoreContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
