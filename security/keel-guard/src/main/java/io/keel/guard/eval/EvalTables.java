package io.keel.guard.eval;


import java.util.Locale;

/** Renders evaluation reports as fixed-width text tables (for the CLI and for pasting into docs). */
public final class EvalTables {
    private EvalTables() {
    }

    public static String render(GuardEvalReport report) {
        StringBuilder sb = new StringBuilder();
        if (report.pii() != null) sb.append(render(report.pii()));
        if (!report.syntheticPii().isEmpty()) sb.append('\n').append(renderSynthetic(report.syntheticPii()));
        if (report.injection() != null) sb.append('\n').append(render(report.injection()));
        if (report.contentSafety() != null) sb.append('\n').append(render(report.contentSafety()));
        return sb.toString();
    }

    public static String render(PiiEvalReport r) {
        StringBuilder sb = new StringBuilder("PII: Presidio recognizer cases (pass = exact count and spans)\n");
        String fmt = "%-26s %6s %6s %8s %9s %7s %7s%n";
        sb.append(String.format(Locale.ROOT, fmt, "entity type", "cases", "pass", "pass %", "precision", "recall", "F1"));
        for (PiiEvalReport.Row row : r.rows()) sb.append(row(fmt, row));
        sb.append(row(fmt, r.total()));
        if (!r.unsupported().isEmpty()) {
            int n = r.unsupported().stream().mapToInt(PiiEvalReport.Unsupported::cases).sum();
            sb.append(String.format(Locale.ROOT, "not evaluated: %d cases of %d types without a recognizer%n", n, r.unsupported().size()));
            for (PiiEvalReport.Unsupported u : r.unsupported()) {
                sb.append(String.format(Locale.ROOT, "  %-26s %4d  %s%n", u.entityType(), u.cases(), u.why()));
            }
        }
        return sb.toString();
    }

    public static String renderSynthetic(java.util.List<SyntheticPii.Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "PII: synthetic set (SyntheticPii, seed %d; all of it is evaluation data, "
                + "nothing is trained on it), exact spans, default threshold and context words%n", SyntheticPii.SEED));
        String fmt = "%-14s %8s %6s %9s %9s %7s %10s%n";
        sb.append(String.format(Locale.ROOT, fmt, "type", "planted", "found", "findings", "recall", "", "precision"));
        for (SyntheticPii.Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.type(), r.planted(), r.found(), r.findings(), f3(r.recall()), "", f3(r.precision())));
        }
        return sb.toString();
    }

    private static String row(String fmt, PiiEvalReport.Row row) {
        return String.format(Locale.ROOT, fmt, row.entityType(), row.cases(), row.passed(), pct(row.passRate()),
                f3(row.precision()), f3(row.recall()), f3(row.f1()));
    }

    public static String render(HeldOutEvalReport r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s%nsplit: %s; training never read these texts%n",
                r.title(), r.split()));
        String fmt = "%-44s %-10s %6s %7s %-7s %7s %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "data set (held-out part)", "split", "texts", "flagged", "metric", "value", "target"));
        for (HeldOutEvalReport.Row row : r.rows()) {
            String target = Double.isNaN(row.target()) ? "-" : (row.positive() ? ">= " : "<= ") + f3(row.target());
            sb.append(String.format(Locale.ROOT, fmt, row.set(), row.split().length() > 10 ? "held-out*" : row.split(),
                    row.texts(), row.flagged(), row.positive() ? "recall" : "FPR", f3(row.rate()), target
                            + (Double.isNaN(row.target()) ? "" : row.meetsTarget() ? " ok" : " MISS")));
        }
        for (HeldOutEvalReport.Row row : r.rows()) {
            if (row.split().length() > 10) sb.append("* ").append(row.set()).append(": ").append(row.split()).append('\n');
        }
        return sb.toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f", v * 100);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
