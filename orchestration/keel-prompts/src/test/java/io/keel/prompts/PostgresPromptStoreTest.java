package io.keel.prompts;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Runs the store contract on PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}), in a fresh
 * schema dropped afterwards. Skipped when no server answers there.
 */
class PostgresPromptStoreTest extends PromptStoreContract {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

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

    private static Connection connect() {
        try {
            return DriverManager.getConnection(URL, USER, "");
        } catch (SQLException e) {
            Assumptions.abort("no PostgreSQL at " + URL + ": " + e.getMessage());
            throw new IllegalStateException(e);
        }
    }
}
