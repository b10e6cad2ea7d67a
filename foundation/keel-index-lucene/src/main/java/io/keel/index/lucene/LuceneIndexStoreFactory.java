package io.keel.index.lucene;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backend;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexStoreFactory;

/**
 * The embedded Lucene index, {@code index.backend: lucene} (the default): one Lucene index per collection under
 * {@code <data_dir>/collections/}. Reads the tuning keys of the {@code index:} section ({@link LuceneIndexConfig}).
 */
@Backend(LuceneIndexStoreFactory.NAME)
public final class LuceneIndexStoreFactory implements IndexStoreFactory {
    public static final String NAME = "lucene";

    @Override
    public void validate(ConfigNode section) {
        LuceneIndexConfig.from(section);
    }

    @Override
    public LuceneIndexStore open(IndexStoreContext context) {
        return new LuceneIndexStore(context.dataDir(), context.model(), LuceneIndexConfig.from(context.section()),
                context.clock());
    }
}
