package io.keel.prompts;

import io.keel.store.sql.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Runs the store contract on PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}), in a fresh
 * schema dropped afterwards. Fails when no server answers there.
 */
class PostgresPromptStoreTest extends PromptStoreContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";

    private final String schema = "prompts_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    Database open() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return Database.postgres(URL + "?currentSchema=" + schema, USER, "", 2);
    }

    @Override
    void cleanUp() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    static Connection connect() {
        try {
            return DriverManager.getConnection(URL, USER, "");
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is required by this test and is not reachable at " + URL + " as user " + USER
                    + ": " + e.getMessage() + ". Start it (trust authentication for local connections).", e);
        }
    }
}
