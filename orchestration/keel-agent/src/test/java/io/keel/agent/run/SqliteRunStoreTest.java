package io.keel.agent.run;

import io.keel.test.TestDatabase;

class SqliteRunStoreTest extends SqlRunStoreContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
