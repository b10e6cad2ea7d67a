package io.keel.core.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** The transaction idiom every JDBC-backed store shares (the SQL store, the pgvector index). */
public final class Jdbc {
    private Jdbc() {
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on {@code c} as one transaction: committed when it returns, rolled back when it throws, and the
     * connection's auto-commit mode restored either way. Callers that need more (isolation, read-only) set it first.
     */
    public static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
