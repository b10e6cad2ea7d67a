package io.keel.core.spi;

import io.keel.core.config.ConfigNode;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link IndexStoreFactory} builds a store from.
 *
 * @param dataDir  the Keel data directory; a store that keeps files keeps them under it
 * @param model    the configured embedding model: collections built by another model must be refused
 * @param section  the {@code index:} section of {@code keel.yaml} ({@code index.backend} already read)
 * @param clock    the time tombstones and other timestamps are taken from
 * @param database the SQL database the instance keeps its records in, or null when none is open
 * @since 0.1
 */
public record IndexStoreContext(Path dataDir, EmbeddingModelInfo model, ConfigNode section, Clock clock,
                                SharedDatabase database) {
    public IndexStoreContext {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(clock, "clock");
    }

    /** A context with the system clock (UTC) and no shared database. */
    public static IndexStoreContext of(Path dataDir, EmbeddingModelInfo model, ConfigNode section) {
        return new IndexStoreContext(dataDir, model, section, Clock.systemUTC(), null);
    }

    public IndexStoreContext withDatabase(SharedDatabase db) {
        return new IndexStoreContext(dataDir, model, section, clock, db);
    }

    public IndexStoreContext withClock(Clock c) {
        return new IndexStoreContext(dataDir, model, section, c, database);
    }

    /** The shared SQL database, when the instance has one: a PostgreSQL-backed store keeps its tables there. */
    public Optional<SharedDatabase> sharedDatabase() {
        return Optional.ofNullable(database);
    }

    /**
     * The instance's SQL database: its connection pool (owned by the instance; a store must not close it) and its
     * dialect, lower case as in {@code store.backend}: {@code sqlite} or {@code postgresql}.
     */
    public record SharedDatabase(DataSource dataSource, String dialect) {
        public SharedDatabase {
            Objects.requireNonNull(dataSource, "dataSource");
            dialect = Objects.requireNonNull(dialect, "dialect").toLowerCase(Locale.ROOT);
        }

        public boolean isPostgres() {
            return dialect.equals("postgresql");
        }
    }
}
