package io.keel.store.sql;

import io.keel.test.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;

/** {@link AuditLogContract} on a SQLite file in the test's temporary folder. */
class SqliteAuditLogTest extends AuditLogContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }

    @Override
    protected void dropAppendOnlyTriggers(Connection c) throws SQLException {
        exec(c, "DROP TRIGGER IF EXISTS audit_log_no_update");
        exec(c, "DROP TRIGGER IF EXISTS audit_log_no_delete");
    }
}
