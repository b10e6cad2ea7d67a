package io.keel.store.sql;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

class SqliteAuditLogTest extends AuditLogContract {
    @TempDir
    Path dir;

    @Override
    protected Database connect() {
        return TestDatabases.sqlite(dir);
    }

    @Override
    protected void dropAppendOnlyTriggers(Connection c) throws SQLException {
        exec(c, "DROP TRIGGER IF EXISTS audit_log_no_update");
        exec(c, "DROP TRIGGER IF EXISTS audit_log_no_delete");
    }
}
