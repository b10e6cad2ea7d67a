package io.keel.app.replay;

import java.util.List;

/**
 * What a {@link Gate} made of a run.
 *
 * @param passed true when every check passed
 * @param checks every check, in the order of the gate file
 */
public record GateVerdict(boolean passed, List<Check> checks) {
    public GateVerdict {
        checks = List.copyOf(checks);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /**
     * One threshold against the run's number.
     *
     * @param name      the gate key, e.g. {@code max_cost_increase_pct}
     * @param threshold the limit from the gate file
     * @param actual    the run's number, null when the run could not measure it (which fails the check)
     * @param message   a readable explanation, e.g. {@code cost +42.0% > +10.0%}
     */
    public record Check(String name, double threshold, Double actual, boolean passed, String message) {
    }
}
