package io.keel.registry;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteRegistryRandomizedTest extends RegistryRandomizedContract {
    @TempDir
    Path dir;

    @Override
    Database openDatabase() {
        return Database.sqlite(dir.resolve("keel.db"));
    }
}
