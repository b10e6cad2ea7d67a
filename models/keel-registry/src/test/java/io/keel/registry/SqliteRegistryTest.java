package io.keel.registry;

import io.keel.test.TestDatabase;

/** {@link RegistryContract} on a SQLite file, as the CLI and a single server use it. */
class SqliteRegistryTest extends RegistryContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
