package io.keel.store.sql;

import io.keel.test.TestDatabase;

/** {@link BudgetLedgerContract} on a SQLite file in the test's temporary folder. */
class SqliteBudgetLedgerTest extends BudgetLedgerContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
