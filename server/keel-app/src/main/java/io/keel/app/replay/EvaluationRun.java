package io.keel.app.replay;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A stored comparison of a candidate against logged requests ({@code GET /v1/evaluations/{id}}).
 *
 * @param id      {@code eval_} and 16 hex digits
 * @param rows    one per selected request, oldest first (empty in listings)
 * @param verdict the gate's verdict, or null when the run had no gate
 */
public record EvaluationRun(String id, Instant createdAt, ReplaySpec spec, ReplaySummary summary, List<ReplayRow> rows,
                            GateVerdict verdict) {
    private static final SecureRandom IDS = new SecureRandom();

    public EvaluationRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(summary, "summary");
        rows = List.copyOf(rows == null ? List.of() : rows);
    }

    static String newId() {
        byte[] b = new byte[8];
        IDS.nextBytes(b);
        return "eval_" + HexFormat.of().formatHex(b);
    }

    public EvaluationRun withVerdict(GateVerdict v) {
        return new EvaluationRun(id, createdAt, spec, summary, rows, v);
    }

    /** True unless a gate was applied and failed. */
    public boolean passed() {
        return verdict == null || verdict.passed();
    }
}
