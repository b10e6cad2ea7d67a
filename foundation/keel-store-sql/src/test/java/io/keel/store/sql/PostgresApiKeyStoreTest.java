package io.keel.store.sql;

import org.junit.jupiter.api.BeforeEach;

/** Runs against the local PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema per test; fails when it is down. */
class PostgresApiKeyStoreTest extends ApiKeyStoreContract {
    private String schema;

    @BeforeEach
    void createSchema() throws Exception {
        schema = TestDatabases.createSchema();
    }

    @Override
    protected Database connect() {
        return TestDatabases.postgres(schema);
    }

    @Override
    protected void cleanUp() throws Exception {
        if (schema != null) TestDatabases.dropSchema(schema);
    }
}
