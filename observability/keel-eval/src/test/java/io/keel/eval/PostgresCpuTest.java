package io.keel.eval;

import io.keel.test.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL server's CPU, read from /proc, grows by what a statement costs on the server (local PostgreSQL). */
class PostgresCpuTest {
    @Test
    void aStatementThatWorksOnTheServerShowsInItsCpu() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.PG_URL, TestDatabase.PG_USER, "");
             Statement st = c.createStatement()) {
            long before = PostgresCpu.nanos();
            assertThat(before).as("the local server's processes are readable in /proc").isPositive();
            long threadBefore = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM generate_series(1, 20000000)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(20_000_000L);
            }
            long server = PostgresCpu.nanos() - before;
            long client = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadBefore;
            assertThat(server).as("the server counted twenty million rows (ns of CPU)").isGreaterThan(200_000_000L);
            assertThat(server).as("the server's CPU, not the client's, which only waited").isGreaterThan(5 * client);
        }
    }
}
