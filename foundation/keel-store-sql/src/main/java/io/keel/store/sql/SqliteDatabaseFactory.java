package io.keel.store.sql;

import io.keel.core.spi.Backend;
import java.nio.file.Path;
import java.util.Map;

/** {@code store.backend: sqlite}: one SQLite file in WAL mode in the data directory. */
@Backend(SqliteDatabaseFactory.NAME)
public final class SqliteDatabaseFactory implements DatabaseFactory {
    public static final String NAME = "sqlite";
    /** The file of the embedded store, in the data directory. */
    public static final String FILE = "keel.db";

    @Override
    public Database open(StoreConfig config, Path dataDir, Map<String, String> env) {
        return Database.sqlite(dataDir.resolve(FILE));
    }
}
