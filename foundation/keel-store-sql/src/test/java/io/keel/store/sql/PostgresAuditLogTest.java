package io.keel.store.sql;

import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs against the local PostgreSQL (127.0.0.1:5432, database {@code test}) in a fresh schema per test; fails when it is down. */
class PostgresAuditLogTest extends AuditLogContract {
    private String schema;

    @BeforeEach
    void createSchema() throws Exception {
        schema = TestDatabases.createSchema();
    }

    @Override
    protected Database connect() {
        return TestDatabases.postgres(schema);
    }

    @Override
    protected void dropAppendOnlyTriggers(Connection c) throws SQLException {
        exec(c, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
    }

    @Override
    protected void cleanUp() throws Exception {
        if (schema != null) TestDatabases.dropSchema(schema);
    }
}
