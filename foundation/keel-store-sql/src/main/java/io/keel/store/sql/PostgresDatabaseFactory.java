package io.keel.store.sql;

import io.keel.core.error.KeelException;
import io.keel.core.spi.Backend;

import java.nio.file.Path;
import java.util.Map;

/** {@code store.backend: postgresql}: a pooled connection to {@code store.url}, shared by every Keel instance. */
@Backend(PostgresDatabaseFactory.NAME)
public final class PostgresDatabaseFactory implements DatabaseFactory {
    public static final String NAME = "postgresql";

    @Override
    public Database open(StoreConfig config, Path dataDir, Map<String, String> env) {
        String password = null;
        if (config.passwordEnv() != null) {
            password = env.get(config.passwordEnv());
            if (password == null) {
                throw KeelException.invalid("configuration key 'store.password_env' names " + config.passwordEnv()
                        + ", which is not set; export it or remove store.password_env");
            }
        }
        return Database.postgres(config.url(), config.user(), password, config.poolSize());
    }
}
