package io.keel.prompts;

import io.keel.test.TestDatabase;

/** {@link PromptStoreRandomizedContract} on a SQLite file in the test's temporary folder. */
class SqlitePromptStoreRandomizedTest extends PromptStoreRandomizedContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
