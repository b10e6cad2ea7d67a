package io.keel.registry;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The registry on PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code postgres}), each test in a fresh
 * schema dropped afterwards. Fails when no such server runs.
 */
class PostgresRegistryTest extends RegistryContract {
    static final String URL = System.getProperty("keel.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");
    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = "keel_registry_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        // The registry opened by the contract's @BeforeEach runs after this one: superclass methods run first, so reopen.
        registry = newRegistry();
    }

    @AfterEach
    void dropSchema() throws Exception {
        closeAll();
        try (Connection c = connect()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    void openRegistry() {
        // deferred to createSchema(), once the schema exists
    }

    @Override
    Database openDatabase() {
        return Database.postgres(URL + "?currentSchema=" + schema, "postgres", null, 4);
    }

    static Connection connect() {
        try {
            return DriverManager.getConnection(URL, "postgres", null);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is required by this test and is not reachable at " + URL + " as user postgres: "
                    + e.getMessage() + ". Start it (trust authentication for local connections) or point -Dkeel.test.postgres at one.", e);
        }
    }
}
