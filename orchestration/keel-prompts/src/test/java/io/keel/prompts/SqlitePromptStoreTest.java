package io.keel.prompts;

import io.keel.store.sql.Database;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PromptStoreContract} on a SQLite file in the test's temporary folder. */
class SqlitePromptStoreTest extends PromptStoreContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
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
