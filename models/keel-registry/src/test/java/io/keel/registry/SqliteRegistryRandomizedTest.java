package io.keel.registry;

import io.keel.test.TestDatabase;

/** {@link RegistryRandomizedContract} on a SQLite file, as the CLI and a single server use it. */
class SqliteRegistryRandomizedTest extends RegistryRandomizedContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
