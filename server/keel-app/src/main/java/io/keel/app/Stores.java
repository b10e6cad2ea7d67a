package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.spi.Backends;
import io.keel.store.sql.Database;
import io.keel.store.sql.DatabaseFactory;
import io.keel.store.sql.SqliteDatabaseFactory;
import io.keel.store.sql.StoreConfig;

import java.util.Map;

/** Opens the SQL store a configuration names: SQLite under the data directory, or PostgreSQL, found by name. */
public final class Stores {
    /** The SQLite file of the embedded store. */
    public static final String SQLITE_FILE = SqliteDatabaseFactory.FILE;

    private Stores() {
    }

    public static Database open(KeelConfig config) {
        return open(config, System.getenv());
    }

    /** The SQL store of {@code store.backend}, found by name ({@link DatabaseFactory}). */
    static Database open(KeelConfig config, Map<String, String> env) {
        StoreConfig s = config.store();
        return Backends.find(DatabaseFactory.class, s.backend(), "store.backend").open(s, config.dataDir(), env);
    }
}
