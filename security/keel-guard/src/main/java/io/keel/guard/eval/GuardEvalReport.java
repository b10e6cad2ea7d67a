package io.keel.guard.eval;

import java.util.List;

/**
 * Everything {@code keel guard eval} reports.
 *
 * @param injection     null when no embedder was available to evaluate the classifier
 * @param contentSafety likewise
 */
public record GuardEvalReport(PiiEvalReport pii, List<SyntheticPii.Row> syntheticPii, HeldOutEvalReport injection,
                              HeldOutEvalReport contentSafety) {
    public GuardEvalReport(PiiEvalReport pii, List<SyntheticPii.Row> syntheticPii, HeldOutEvalReport injection) {
        this(pii, syntheticPii, injection, null);
    }

    public GuardEvalReport {
        syntheticPii = syntheticPii == null ? List.of() : List.copyOf(syntheticPii);
    }

    /** The report as plain-text tables. */
    public String render() {
        return EvalTables.render(this);
    }
}
