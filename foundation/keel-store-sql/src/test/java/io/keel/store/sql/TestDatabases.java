package io.keel.store.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real databases for the contract tests: a SQLite file, or a fresh schema in the local PostgreSQL {@code test}
 * database (created when missing). The PostgreSQL tests fail, never skip, when no server answers: point
 * {@code -Dkeel.test.postgres=jdbc:postgresql://host:port/database} at one (user {@code postgres}, trust auth).
 */
final class TestDatabases {
    static final String PG_URL = System.getProperty("keel.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    static Database sqlite(Path dir) {
        return Database.sqlite(dir.resolve("keel.db"));
    }

    /** A new schema in the test database; fails the test with what to do when PostgreSQL cannot be reached. */
    static String createSchema() throws SQLException {
        requirePostgres();
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

    /** Connects once, creating the test database through the server's {@code postgres} database when it is missing. */
    static synchronized void requirePostgres() {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null)) {
            if (c.isValid(2)) return;
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) {
                createTestDatabase();
                return;
            }
            throw unreachable(e);
        }
        throw new AssertionError("PostgreSQL at " + PG_URL + " accepted a connection that is not valid");
    }

    private static void createTestDatabase() {
        int slash = PG_URL.lastIndexOf('/');
        String name = PG_URL.substring(slash + 1).replaceAll("\\?.*", "");
        String admin = PG_URL.substring(0, slash + 1) + "postgres";
        try (Connection c = DriverManager.getConnection(admin, PG_USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) throw unreachable(e);
        }
    }

    private static AssertionError unreachable(SQLException e) {
        return new AssertionError("PostgreSQL is required by this test and is not reachable at " + PG_URL + " as user "
                + PG_USER + ": " + e.getMessage() + ". Start it (trust authentication for local connections) or point "
                + "-Dkeel.test.postgres at one.", e);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
