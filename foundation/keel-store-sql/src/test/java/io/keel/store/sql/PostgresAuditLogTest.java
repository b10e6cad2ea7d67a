package io.keel.store.sql;

import io.keel.test.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;

/** {@link AuditLogContract} on PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema per test; fails when it is down. */
class PostgresAuditLogTest extends AuditLogContract {
    @Override
    protected TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }

    @Override
    protected void dropAppendOnlyTriggers(Connection c) throws SQLException {
        exec(c, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
    }
}
