package io.keel.agent.run;

import io.keel.test.TestDatabase;

class PostgresRunStoreTest extends SqlRunStoreContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
