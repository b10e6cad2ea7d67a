package io.keel.prompts;

import io.keel.test.TestDatabase;

/** {@link PromptStoreRandomizedContract} on PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema per test; fails when the server is down. */
class PostgresPromptStoreRandomizedTest extends PromptStoreRandomizedContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
