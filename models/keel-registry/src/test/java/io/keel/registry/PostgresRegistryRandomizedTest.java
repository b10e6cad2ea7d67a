package io.keel.registry;

import io.keel.test.TestDatabase;

/** {@link RegistryRandomizedContract} on PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema per test; fails when the server is down. */
class PostgresRegistryRandomizedTest extends RegistryRandomizedContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
