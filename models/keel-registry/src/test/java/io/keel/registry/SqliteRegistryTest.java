package io.keel.registry;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The registry on SQLite, as the CLI and a single server use it. */
class SqliteRegistryTest extends RegistryContract {
    @TempDir
    Path dir;

    @Override
    Database openDatabase() {
        return Database.sqlite(dir.resolve("keel.db"));
    }
}
