package io.keel.store.sql;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteBudgetLedgerRandomizedTest extends BudgetLedgerRandomizedContract {
    @TempDir
    Path dir;

    @Override
    protected Database connect() {
        return TestDatabases.sqlite(dir);
    }
}
