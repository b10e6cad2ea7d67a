package io.keel.index.pgvector;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexStoreFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database on the local PostgreSQL (127.0.0.1:5432, user postgres) for one test, dropped afterwards. Fails,
 * never skips, when PostgreSQL or pgvector is missing, saying what to run.
 */
final class PgTestDatabase implements AutoCloseable {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private final String name;

    private PgTestDatabase(String name) {
        this.name = name;
    }

    static PgTestDatabase create() {
        String name = "keel_pgv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = admin()) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")) {
                if (!rs.next()) {
                    throw new AssertionError("PostgreSQL at 127.0.0.1:5432 has no pgvector extension; run "
                            + "'sudo bash .ci/install-pgvector.sh' (or '.ci/run', which does it) and test again");
                }
            }
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("these tests need PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) with "
                    + "pgvector: start it ('pg_ctlcluster 15 main start'), run 'bash .ci/install-pgvector.sh', test again. "
                    + "Cause: " + e.getMessage(), e);
        }
        return new PgTestDatabase(name);
    }

    String url() {
        return SERVER + name;
    }

    /** The {@code index:} section selecting pgvector on this database, plus {@code extra} keys. */
    ConfigNode section(Map<String, Object> extra) {
        Map<String, Object> index = new java.util.LinkedHashMap<>(extra);
        index.put("backend", "pgvector");
        Map<String, Object> pg = new java.util.LinkedHashMap<>();
        pg.put("url", url());
        pg.put("pool_size", 4);
        index.put("pgvector", pg);
        return ConfigNode.root(Map.of("index", index), Map.of()).child("index");
    }

    /** Opens the store the way Keel does: by name, through its factory. */
    IndexStore open(EmbeddingModelInfo model, Clock clock, Map<String, Object> extra) {
        ConfigNode section = section(extra);
        IndexStoreFactory factory = Backends.find(IndexStoreFactory.class, section.string("backend", "lucene"), "index.backend");
        return factory.open(new IndexStoreContext(Path.of("unused"), model, section, clock, null));
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
    }

    @Override
    public void close() {
        try (Connection c = admin()) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new AssertionError("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }
}
