package io.keel.experiments.report;

import io.keel.test.TestDatabase;

class SqliteReportFromSumsTest extends ReportFromSumsContract {
    @Override
    TestDatabase.Engine engine() {
        return TestDatabase.Engine.SQLITE;
    }
}
