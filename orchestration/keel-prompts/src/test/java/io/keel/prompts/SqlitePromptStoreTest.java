package io.keel.prompts;

import io.keel.store.sql.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SqlitePromptStoreTest extends PromptStoreContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return Database.sqlite(dir.resolve("keel.db"));
    }

    @Test
    void survivesReopening() {
        PromptFile p = prompt("1.0.0", "Hello");
        try (Database db = Database.sqlite(dir.resolve("other.db"))) {
            PromptStore s = new PromptStore(db);
            s.push(p, "ada");
            s.label("greet", "production", "1.0.0", "ada");
        }
        try (Database db = Database.sqlite(dir.resolve("other.db"))) {
            assertThat(new PromptStore(db).resolve("greet", "production").version()).isEqualTo(p.version());
        }
    }
}
