package io.keel.guard.eval;

import io.keel.guard.injection.InjectionTrainer;

import java.util.Locale;

/** Renders evaluation reports as fixed-width text tables (for the CLI and for pasting into docs). */
public final class EvalTables {
    private EvalTables() {
    }

    public static String render(GuardEvalReport report) {
        StringBuilder sb = new StringBuilder();
        if (report.pii() != null) sb.append(render(report.pii()));
        if (report.injection() != null) sb.append('\n').append(render(report.injection()));
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

    private static String row(String fmt, PiiEvalReport.Row row) {
        return String.format(Locale.ROOT, fmt, row.entityType(), row.cases(), row.passed(), pct(row.passRate()),
                f3(row.precision()), f3(row.recall()), f3(row.f1()));
    }

    public static String render(InjectionEvalReport r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Prompt injection: deepset train split, %d examples, %d-fold cross-validation (data sha256 %s…; %s)%n",
                r.examples(), r.folds(), r.dataSha256().substring(0, 12),
                r.bundledDataMatch() ? "the data the bundled weights were trained on" : "NOT the data the bundled weights were trained on"));
        String fmt = "%-62s %8s %7s %7s%n";
        sb.append(String.format(Locale.ROOT, fmt, "detector", "accuracy", "TPR", "FPR"));
        sb.append(metrics(fmt, "classifier (MiniLM + hashed n-grams, LR), whole text", r.classifier()));
        sb.append(metrics(fmt, "full detector (normalize + rules + classifier, sentences)", r.detector()));
        for (InjectionEvalReport.Published p : InjectionEvalReport.PUBLISHED_TEST_ACCURACY) {
            sb.append(String.format(Locale.ROOT, fmt, "published, test split: " + p.model(), f3(p.accuracy()), "-", "-"));
        }
        String byL2 = new java.util.TreeMap<>(r.accuracyByL2()).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%.0e: %s", e.getKey(), f3(e.getValue())))
                .collect(java.util.stream.Collectors.joining(", "));
        sb.append(String.format(Locale.ROOT, "classifier CV accuracy by L2: %s (chosen %.0e)%n", byL2, r.l2()));
        if (r.benign() != null) {
            InjectionTrainer.HeldOut b = r.benign();
            sb.append(String.format(Locale.ROOT, "benign questions (SQuAD dev, held-out articles; %d others added to training): "
                            + "classifier FPR %s (%d of %d), full detector FPR %s (%d of %d)%n", b.added(),
                    f4(b.classifierFpr()), b.classifierFalsePositives(), b.questions(),
                    f4(b.detectorFpr()), b.detectorFalsePositives(), b.detectorQuestions()));
        }
        return sb.toString();
    }

    private static String metrics(String fmt, String name, InjectionTrainer.Metrics m) {
        return String.format(Locale.ROOT, fmt, name, f3(m.accuracy()), f3(m.tpr()), f3(m.fpr()));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f", v * 100);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
