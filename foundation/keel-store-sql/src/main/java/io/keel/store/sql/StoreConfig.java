package io.keel.store.sql;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;

/**
 * Where Keel keeps its records: the request log, budgets, the model registry and pushed prompts ({@code store:} in
 * keel.yaml).
 *
 * @param backend     {@code sqlite} (default: {@code <data_dir>/keel.db}) or {@code postgresql}
 * @param url         JDBC URL for PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/keel}
 * @param passwordEnv environment variable holding the PostgreSQL password
 */
public record StoreConfig(String backend, String url, String user, String passwordEnv, int poolSize) {
    /** Reads the {@code store} section: {@code backend}, {@code url}, {@code user}, {@code password_env}, {@code pool_size}. */
    public static StoreConfig from(ConfigNode node) {
        String backend = node.choice("backend", SqliteDatabaseFactory.NAME,
                Backends.names(DatabaseFactory.class).toArray(String[]::new));
        String url = node.string("url", null);
        if (backend.equals(PostgresDatabaseFactory.NAME) && (url == null || !url.startsWith("jdbc:postgresql:"))) {
            throw node.error("url", "must be a jdbc:postgresql://host:port/database URL when " + node.key("backend")
                    + " is postgresql; got " + (url == null ? "nothing" : "'" + url + "'"));
        }
        return new StoreConfig(backend, url, node.string("user", null), node.string("password_env", null),
                node.integer("pool_size", 8, 1, 256));
    }
}
