package io.keel.index.pgvector;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backend;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexStoreFactory;

/**
 * The PostgreSQL + pgvector index, {@code index.backend: pgvector}. Connects through the instance's SQL pool when
 * {@code store.backend: postgresql} and {@code index.pgvector.url} is not set, otherwise through its own pool to that URL.
 */
@Backend(PgVectorIndexStoreFactory.NAME)
public final class PgVectorIndexStoreFactory implements IndexStoreFactory {
    public static final String NAME = "pgvector";

    @Override
    public void validate(ConfigNode section) {
        PgVectorIndexConfig.from(section);
    }

    @Override
    public PgVectorIndexStore open(IndexStoreContext context) {
        PgVectorIndexConfig config = PgVectorIndexConfig.from(context.section());
        return PgVectorIndexStore.open(Connections.open(config, context.sharedDatabase().orElse(null)), context.model(),
                config, context.clock());
    }
}
