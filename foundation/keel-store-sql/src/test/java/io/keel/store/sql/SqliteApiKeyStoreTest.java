package io.keel.store.sql;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteApiKeyStoreTest extends ApiKeyStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database connect() {
        return TestDatabases.sqlite(dir);
    }
}
