package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

/**
 * Where Keel keeps its records: the request log, budgets, the model registry and pushed prompts ({@code store.*}).
 *
 * @param backend     {@code sqlite} (default: {@code <data_dir>/keel.db}) or {@code postgresql}
 * @param url         JDBC URL for PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/keel}
 * @param passwordEnv environment variable holding the PostgreSQL password
 */
public record StoreSettings(String backend, String url, String user, String passwordEnv, int poolSize) {
    static StoreSettings from(ConfigNode n) {
        String backend = n.string("backend", "sqlite");
        if (!backend.equals("sqlite") && !backend.equals("postgresql")) {
            throw ConfigNode.bad(n.path() + ".backend", "must be sqlite or postgresql; got '" + backend + "'");
        }
        String url = n.string("url", null);
        if (backend.equals("postgresql") && (url == null || !url.startsWith("jdbc:postgresql:"))) {
            throw KeelException.invalid("configuration key 'store.url' must be a jdbc:postgresql://host:port/database URL when "
                    + "store.backend is postgresql (set it in keel.yaml or with KEEL_STORE_URL)");
        }
        return new StoreSettings(backend, url, n.string("user", null), n.string("password_env", null),
                n.integer("pool_size", 8, 1, 256));
    }
}
