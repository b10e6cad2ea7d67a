package io.keel.store.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Real databases for the contract tests: a SQLite file, or a fresh schema in the local PostgreSQL {@code test} database. */
final class TestDatabases {
    static final String PG_URL = System.getProperty("keel.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    static Database sqlite(Path dir) {
        return Database.sqlite(dir.resolve("keel.db"));
    }

    static boolean postgresReachable() {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static String createSchema() throws SQLException {
        String schema = "keel_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    static void dropSchema(String schema) throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    static Database postgres(String schema) {
        return Database.postgres(PG_URL + "?currentSchema=" + schema, PG_USER, null, 16);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
