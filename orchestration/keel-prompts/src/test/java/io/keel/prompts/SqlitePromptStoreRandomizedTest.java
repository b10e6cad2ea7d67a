package io.keel.prompts;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqlitePromptStoreRandomizedTest extends PromptStoreRandomizedContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return Database.sqlite(dir.resolve("keel.db"));
    }
}
