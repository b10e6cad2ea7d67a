package io.keel.store.sql;

import io.keel.core.spi.BackendFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * An engine of the SQL store, found by its {@code store.backend} name through {@link io.keel.core.spi.Backends}:
 * {@code sqlite} (embedded, the default) or {@code postgresql} (shared by several instances). Every store on it — the
 * request log, budgets, registry, prompts, keys, audit log — runs on each engine, as their contract suites prove.
 */
public interface DatabaseFactory extends BackendFactory {
    /**
     * @param dataDir the data directory, where an embedded engine keeps its file
     * @param env     the environment, for the variable {@code store.password_env} names
     */
    Database open(StoreConfig config, Path dataDir, Map<String, String> env);
}
