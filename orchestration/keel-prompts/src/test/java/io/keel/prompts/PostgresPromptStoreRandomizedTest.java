package io.keel.prompts;

import io.keel.store.sql.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** The randomized prompt store run on PostgreSQL, in a fresh schema dropped afterwards; fails when the server is down. */
class PostgresPromptStoreRandomizedTest extends PromptStoreRandomizedContract {
    private final String schema = "prompts_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private boolean created;

    @Override
    Database open() throws SQLException {
        if (!created) {
            try (Connection c = PostgresPromptStoreTest.connect()) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            created = true;
        }
        return Database.postgres(PostgresPromptStoreTest.URL + "?currentSchema=" + schema, PostgresPromptStoreTest.USER, "", 2);
    }

    @Override
    void cleanUp() throws SQLException {
        try (Connection c = PostgresPromptStoreTest.connect()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
