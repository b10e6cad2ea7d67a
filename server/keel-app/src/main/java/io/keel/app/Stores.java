package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.store.sql.StoreConfig;
import io.keel.core.error.KeelException;
import io.keel.store.sql.Database;

import java.util.Map;

/** Opens the SQL database a configuration names: SQLite under the data directory, or PostgreSQL. */
public final class Stores {
    /** The SQLite file of the embedded store. */
    public static final String SQLITE_FILE = "keel.db";

    private Stores() {
    }

    public static Database open(KeelConfig config) {
        return open(config, System.getenv());
    }

    static Database open(KeelConfig config, Map<String, String> env) {
        StoreConfig s = config.store();
        if (s.backend().equals("sqlite")) return Database.sqlite(config.dataDir().resolve(SQLITE_FILE));
        String password = null;
        if (s.passwordEnv() != null) {
            password = env.get(s.passwordEnv());
            if (password == null) {
                throw KeelException.invalid("configuration key 'store.password_env' names " + s.passwordEnv()
                        + ", which is not set; export it or remove store.password_env");
            }
        }
        return Database.postgres(s.url(), s.user(), password, s.poolSize());
    }
}
