package io.keel.experiments.report;

import io.keel.test.TestDatabase;

class PostgresReportFromSumsTest extends ReportFromSumsContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.POSTGRESQL;
    }
}
