package io.keel.index.pgvector;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.IndexStoreContext.SharedDatabase;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the index's tables live: the instance's shared pool (not closed here) or a pool of its own. Opening migrates
 * the schema with Flyway under its own history table, {@code flyway_index_pgvector}.
 *
 * @param owned the pool to close with the store; null when the pool is the instance's
 */
record Connections(DataSource dataSource, HikariDataSource owned, String where) implements AutoCloseable {
    static final String INSTALL_HINT = "install pgvector (>= 0.8) for the server: on Debian run 'bash .ci/install-pgvector.sh' "
            + "as root, then 'CREATE EXTENSION vector' must succeed";

    /** Connects and migrates; the store owns what this returns. */
    static Connections open(PgVectorIndexConfig config, SharedDatabase shared) {
        Connections c;
        if (!config.url().isEmpty()) {
            HikariConfig h = new HikariConfig();
            h.setPoolName("keel-pgvector");
            h.setJdbcUrl(config.url());
            h.setUsername(config.user());
            h.setPassword(config.password());
            h.setMaximumPoolSize(config.poolSize());
            h.setConnectionTimeout(10_000);
            try {
                HikariDataSource ds = new HikariDataSource(h);
                c = new Connections(ds, ds, config.url());
            } catch (RuntimeException e) {
                throw new KeelException(ErrorCode.UNAVAILABLE, "cannot connect the pgvector index to " + config.url() + ": "
                        + rootMessage(e) + "; check index.pgvector.url and that PostgreSQL is running", e);
            }
        } else if (shared != null && shared.isPostgres()) {
            c = new Connections(shared.dataSource(), null, "the instance's PostgreSQL store");
        } else {
            throw KeelException.invalid("index.backend: pgvector needs a PostgreSQL database: set index.pgvector.url "
                    + "(jdbc:postgresql://host:5432/db) or use store.backend: postgresql");
        }
        try {
            c.migrate();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void migrate() {
        try (Connection conn = dataSource.getConnection()) {
            var rs = conn.createStatement().executeQuery(
                    "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'");
            if (!rs.next()) {
                throw new KeelException(ErrorCode.UNAVAILABLE, "the PostgreSQL server at " + where
                        + " has no pgvector extension; " + INSTALL_HINT);
            }
        } catch (SQLException e) {
            throw new KeelException(ErrorCode.UNAVAILABLE, "cannot reach PostgreSQL at " + where + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(Connections.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/index-pgvector")
                    .table("flyway_index_pgvector")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.UNAVAILABLE, "migrating the pgvector index tables at " + where + " failed: "
                    + rootMessage(e), e);
        }
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        if (owned != null) owned.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
