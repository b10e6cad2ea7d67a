package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link BudgetLedgerRandomizedContract} on a SQLite file in the test's temporary folder. */
class SqliteBudgetLedgerRandomizedTest extends BudgetLedgerRandomizedContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
