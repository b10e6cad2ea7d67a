package io.keel.prompts;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of running prompt tests: one result per test, and a summary that CI can gate on. Skipped tests (no
 * recorded response and no model to ask) do not fail the run, but are never counted as passed.
 */
public record TestReport(List<Result> results) {
    public TestReport {
        results = List.copyOf(results);
    }

    /** Outcome of one test. */
    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * One test's outcome.
     *
     * @param version  the prompt version tested
     * @param test     the test name
     * @param status   passed, failed or skipped
     * @param failures for a failed test, each failing assertion (or the render/model error) with the reason; for a
     *                 skipped test, why it was skipped; empty for a passed test
     */
    public record Result(PromptVersion version, String test, Status status, List<String> failures) {
        public Result {
            failures = List.copyOf(failures);
        }
    }

    public long count(Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /** True when no test failed. */
    public boolean ok() {
        return count(Status.FAILED) == 0;
    }

    /** A plain-text report: one line per test, the reasons of failures indented under it, then totals. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-7s %s %s%n", r.status(), r.version(), r.test()));
            for (String f : r.failures()) sb.append("          ").append(f).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%d passed, %d failed, %d skipped", count(Status.PASSED), count(Status.FAILED), count(Status.SKIPPED)));
        return sb.toString();
    }
}
