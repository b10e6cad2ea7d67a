package io.keel.guard.eval;

import java.util.List;

/**
 * Result of running the PII recognizers over Presidio's recognizer cases.
 *
 * @param rows        one row per supported entity type, sorted by type
 * @param unsupported entity types present in the cases that Keel has no recognizer for, with their case counts
 * @param failures    the first few failing cases per type, for diagnosis
 */
public record PiiEvalReport(List<Row> rows, List<Unsupported> unsupported, List<Failure> failures) {
    /**
     * Pass = the recognizer reported exactly the expected number of findings and, where the case lists spans, exactly
     * those spans. Precision/recall/F1 count a finding as correct when its span equals an expected span.
     */
    public record Row(String entityType, int cases, int passed, int truePositives, int falsePositives, int falseNegatives) {
        public double passRate() {
            return cases == 0 ? 0 : (double) passed / cases;
        }

        public double precision() {
            return truePositives + falsePositives == 0 ? 1 : (double) truePositives / (truePositives + falsePositives);
        }

        public double recall() {
            return truePositives + falseNegatives == 0 ? 1 : (double) truePositives / (truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    public record Unsupported(String entityType, int cases, String why) {
    }

    public record Failure(String entityType, String text, String expected, String actual) {
    }

    public PiiEvalReport {
        rows = List.copyOf(rows);
        unsupported = List.copyOf(unsupported);
        failures = List.copyOf(failures);
    }

    public Row total() {
        int c = 0, p = 0, tp = 0, fp = 0, fn = 0;
        for (Row r : rows) {
            c += r.cases();
            p += r.passed();
            tp += r.truePositives();
            fp += r.falsePositives();
            fn += r.falseNegatives();
        }
        return new Row("ALL SUPPORTED", c, p, tp, fp, fn);
    }
}
