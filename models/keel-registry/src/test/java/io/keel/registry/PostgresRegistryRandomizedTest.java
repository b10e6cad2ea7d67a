package io.keel.registry;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The randomized registry run on PostgreSQL, in a fresh schema dropped afterwards; fails when the server is down. */
class PostgresRegistryRandomizedTest extends RegistryRandomizedContract {
    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = "keel_registry_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = PostgresRegistryTest.connect()) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        closeAll();
        try (Connection c = PostgresRegistryTest.connect()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    Database openDatabase() {
        return Database.postgres(PostgresRegistryTest.URL + "?currentSchema=" + schema, "postgres", null, 2);
    }
}
