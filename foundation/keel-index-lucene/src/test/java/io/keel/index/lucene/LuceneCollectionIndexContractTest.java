package io.keel.index.lucene;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexStoreFactory;
import io.keel.test.CollectionIndexContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The index contract on the Lucene backend, opened the way Keel opens it: by name, through its factory. */
class LuceneCollectionIndexContractTest extends CollectionIndexContractTest {
    @TempDir
    Path dataDir;

    @Override
    protected IndexStore openStore(EmbeddingModelInfo model, Clock clock) {
        ConfigNode section = ConfigNode.root(Map.of("index", Map.of("backend", "lucene")), Map.of()).child("index");
        IndexStoreFactory factory = Backends.find(IndexStoreFactory.class, section.string("backend", "lucene"), "index.backend");
        return factory.open(new IndexStoreContext(dataDir, model, section, clock, null));
    }
}
