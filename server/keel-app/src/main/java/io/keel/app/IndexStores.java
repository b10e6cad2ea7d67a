package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.store.sql.Database;

import java.time.Clock;

/** Opens the index store {@code index.backend} names, through its {@link io.keel.core.spi.IndexStoreFactory}. */
final class IndexStores {
    private IndexStores() {
    }

    /**
     * @param model    the configured embedder's model: collections built by another are refused
     * @param database the instance's SQL database, offered to backends that keep their data in it (null: none)
     */
    static IndexStore open(KeelConfig config, EmbeddingModelInfo model, Database database, Clock clock) {
        IndexStoreContext context = new IndexStoreContext(config.dataDir(), model, config.index().section(), clock,
                database == null ? null : new IndexStoreContext.SharedDatabase(database.dataSource(), database.dialect().folder()));
        return config.index().factory().open(context);
    }
}
