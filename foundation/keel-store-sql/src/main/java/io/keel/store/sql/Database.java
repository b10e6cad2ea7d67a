package io.keel.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.sql.Jdbc;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The one SQL database of a Keel instance: SQLite in WAL mode in the data directory by default, PostgreSQL when one
 * machine is not enough. Every module that keeps records here (request log, budgets, model registry, prompts) owns
 * its tables and migrates them with Flyway under its own history table, so modules evolve independently.
 *
 * <p>SQLite rather than an embedded PostgreSQL: one file, no second process to start, supervise or extract binaries
 * for, crash-safe commits in tens of microseconds with WAL and {@code synchronous=NORMAL}, and concurrent readers while
 * one writer commits. The schema sticks to SQL both engines share, so moving to PostgreSQL is a configuration change.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Opens (creating if needed) the SQLite database file {@code file}. */
    public static Database sqlite(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder for " + file, e);
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("keel-sqlite");
        c.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // WAL: readers never block the writer; NORMAL is durable across process crashes in WAL mode (an OS crash may
        // lose the last commits, not corrupt the file). busy_timeout makes concurrent writers wait instead of failing.
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "NORMAL");
        c.addDataSourceProperty("busy_timeout", "10000");
        // Every transaction takes the write lock when it begins. A deferred one that reads and then writes is refused
        // SQLITE_BUSY at once, whatever busy_timeout says, if another connection committed in between (a migration
        // reading its history table, a store reading before it inserts); begun IMMEDIATE, it waits its turn instead.
        c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        c.addDataSourceProperty("foreign_keys", "true");
        c.setMaximumPoolSize(4);
        c.setConnectionTimeout(10_000);
        return open(c, Dialect.SQLITE, "jdbc:sqlite:" + file);
    }

    /** Connects to PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/keel}. */
    public static Database postgres(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("keel-postgres");
        c.setJdbcUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(poolSize);
        c.setConnectionTimeout(10_000);
        return open(c, Dialect.POSTGRESQL, jdbcUrl);
    }

    private static Database open(HikariConfig config, Dialect dialect, String where) {
        try {
            return new Database(new HikariDataSource(config), dialect);
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.UNAVAILABLE, "cannot open the " + dialect.folder() + " database at " + where
                    + ": " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Applies the migrations of one module from {@code classpath:db/<module>/<dialect>} (files {@code V1__...sql}),
     * recorded in the module's own history table {@code flyway_<module>}.
     */
    public void migrate(String module) {
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/" + module + "/" + dialect.folder())
                    .table("flyway_" + module.replace('-', '_'))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.UNAVAILABLE, "migrating the '" + module + "' tables failed: " + rootMessage(e), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return Jdbc.transaction(c, work);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The exception a store throws when the database fails: 503, with the database's own message. */
    public KeelException failure(SQLException e) {
        return new KeelException(ErrorCode.UNAVAILABLE, "the " + dialect.folder() + " store failed: " + e.getMessage(), e);
    }

    @FunctionalInterface
    public interface SqlWork<T> extends Jdbc.Work<T> {
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
