package io.keel.test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;

/**
 * One test's real database, for the store contract suites that run on every SQL dialect: a SQLite file in the test's
 * temporary folder, or a fresh schema in the local PostgreSQL {@code test} database (created when missing), dropped by
 * {@link #close()}.
 *
 * <p>PostgreSQL tests fail, never skip, when no server answers: point
 * {@code -Dkeel.test.postgres=jdbc:postgresql://host:port/database} at one (user {@code postgres}, trust auth). Only
 * JDBC is used here, so the PostgreSQL driver must be on the test class path of the module that asks for it.
 *
 * @param engine     where the tables live
 * @param sqliteFile the SQLite file; {@code null} on PostgreSQL
 * @param schema     this test's schema on PostgreSQL; {@code null} on SQLite
 */
public record TestDatabase(Engine engine, Path sqliteFile, String schema) implements AutoCloseable {
    /** Where the test's tables live. */
    public enum Engine {
        SQLITE, POSTGRESQL
    }

    /** The PostgreSQL database the schemas are made in. */
    public static final String PG_URL = System.getProperty("keel.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");
    /** The PostgreSQL user (trust authentication). */
    public static final String PG_USER = "postgres";

    /** A database of {@code engine}: for SQLite the file {@code keel.db} in {@code dir}, for PostgreSQL a new schema. */
    public static TestDatabase create(Engine engine, Path dir) {
        Objects.requireNonNull(engine, "engine");
        return engine == Engine.SQLITE ? sqlite(dir) : postgres();
    }

    /** The SQLite file {@code keel.db} in {@code dir}. */
    public static TestDatabase sqlite(Path dir) {
        return new TestDatabase(Engine.SQLITE, dir.resolve("keel.db"), null);
    }

    /** A new schema in the PostgreSQL test database; fails the test with what to do when the server cannot be reached. */
    public static TestDatabase postgres() {
        requirePostgres();
        String schema = "keel_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        return new TestDatabase(Engine.POSTGRESQL, null, schema);
    }

    /** The JDBC URL that reaches this test's tables (on PostgreSQL with {@code currentSchema} set). */
    public String jdbcUrl() {
        return engine == Engine.SQLITE ? "jdbc:sqlite:" + sqliteFile : PG_URL + "?currentSchema=" + schema;
    }

    /** Drops the PostgreSQL schema with everything in it (again: a no-op); the SQLite file goes with the temporary folder. */
    @Override
    public void close() {
        if (schema != null) execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Override
    public String toString() {
        return engine == Engine.SQLITE ? "SQLite " + sqliteFile : "PostgreSQL " + PG_URL + " schema " + schema;
    }

    /** Connects once, creating the test database through the server's {@code postgres} database when it is missing. */
    private static synchronized void requirePostgres() {
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

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }
}
