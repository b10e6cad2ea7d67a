package io.keel.guard.eval;

/**
 * Everything {@code keel guard eval} reports.
 *
 * @param injection null when no embedder was available to evaluate the classifier
 */
public record GuardEvalReport(PiiEvalReport pii, InjectionEvalReport injection) {
    /** The report as plain-text tables. */
    public String render() {
        return EvalTables.render(this);
    }
}
