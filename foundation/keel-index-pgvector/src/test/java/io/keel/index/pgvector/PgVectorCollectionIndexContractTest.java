package io.keel.index.pgvector;

import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.test.CollectionIndexContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.util.Map;

/** The index contract on the pgvector backend, on a fresh PostgreSQL database per test, opened through its factory. */
class PgVectorCollectionIndexContractTest extends CollectionIndexContractTest {
    private PgTestDatabase database;

    @BeforeEach
    void createDatabase() {
        database = PgTestDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) database.close();
    }

    @Override
    protected IndexStore openStore(EmbeddingModelInfo model, Clock clock) {
        return database.open(model, clock, Map.of());
    }
}
