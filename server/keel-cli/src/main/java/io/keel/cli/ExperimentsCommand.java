package io.keel.cli;

import io.keel.app.Stores;
import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentStore;
import io.keel.experiments.report.ExperimentReport;
import io.keel.experiments.report.ExperimentReports;
import io.keel.experiments.report.ReportJson;
import io.keel.experiments.stats.Comparison;
import io.keel.experiments.stats.Interval;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.SqlFeedbackStore;
import io.keel.store.sql.SqlRequestStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Online experiments: {@code keel experiments create|start|stop|list|promote} (see {@link ExperimentLifecycleCommands})
 * and their statistics from the request log, {@code keel experiments report NAME}.
 */
@Command(name = "experiments", mixinStandardHelpOptions = true, description = "Run online experiments and read their results.",
        subcommands = {ExperimentLifecycleCommands.Create.class, ExperimentLifecycleCommands.Start.class,
                ExperimentLifecycleCommands.Stop.class, ExperimentLifecycleCommands.ListExperiments.class,
                ExperimentLifecycleCommands.Promote.class, ExperimentsCommand.Report.class})
final class ExperimentsCommand {

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"Per variant: requests, each metric's mean and CI; per treatment: difference and lift against the control",
                    "with CIs, p-values (Welch / two-proportion z, Holm-corrected), the always-valid sequential p-value,",
                    "the sample-ratio check and a verdict. Reads the request log and feedback of the data directory."})
    static final class Report extends KeelCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment's name")
        String name;

        @Option(names = "--alpha", paramLabel = "A", description = "significance level (default: ${DEFAULT-VALUE})")
        double alpha = 0.05;

        @Option(names = "--min-per-arm", paramLabel = "N", description = "requests per arm before a verdict (default: ${DEFAULT-VALUE})")
        long minPerArm = ExperimentReports.DEFAULT_MIN_PER_ARM;

        @Option(names = "--json", description = "print the report as JSON (the shape of GET /v1/experiments/{name}/report)")
        boolean json;

        @Override
        protected int run(PrintWriter out) {
            if (!(alpha > 0 && alpha < 0.5)) throw KeelException.invalid("--alpha must be between 0 and 0.5; got " + alpha);
            KeelConfig config = common.load();
            ExperimentReport r;
            try (Database db = Stores.open(config); SqlRequestStore store = new SqlRequestStore(db)) {
                Experiment e = config.experiments().files().stream().filter(x -> x.name().equals(name)).findFirst()
                        .or(() -> new ExperimentStore(db, new SqlAuditLog(db)).find(name).map(ExperimentStore.Stored::experiment))
                        .orElseThrow(() -> KeelException.notFound("no experiment named '" + name
                                + "' in experiments.dir or the experiment store; see keel experiments list"));
                r = ExperimentReports.computeFromSums(e, store.outcomeSums(name), new SqlFeedbackStore(db).outcomeSums(name), alpha, minPerArm);
            }
            if (json) {
                out.println(ReportJson.of(r).toPrettyString());
            } else {
                print(out, r);
            }
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, ExperimentReport r) {
            out.println("experiment " + r.experiment() + " (control: " + r.control() + ", alpha " + r.alpha() + ")");
            List<List<String>> rows = new ArrayList<>();
            for (ExperimentReport.VariantSummary v : r.variants()) {
                v.metrics().forEach((m, s) -> rows.add(List.of(v.name(), m, Long.toString(s.n()), num(s.mean()), interval(s.ci()))));
            }
            out.println();
            TextTable.print(out, List.of("VARIANT", "METRIC", "N", "MEAN", "CI"), rows);
            r.comparisons().forEach((variant, list) -> {
                List<List<String>> cmp = new ArrayList<>();
                for (ExperimentReport.MetricComparison mc : list) {
                    Comparison c = mc.comparison();
                    if (c == null) continue;
                    cmp.add(List.of(mc.metric().name(), num(c.difference()), interval(c.differenceCi()),
                            Double.isNaN(c.lift()) ? "-" : String.format(Locale.ROOT, "%+.1f %%", 100 * c.lift()),
                            num(c.pValue()), num(mc.adjustedP()), num(mc.sequentialP())));
                }
                out.println();
                out.println(variant + " vs " + r.control() + ":");
                TextTable.print(out, List.of("METRIC", "DIFF", "DIFF CI", "LIFT", "P", "P (HOLM)", "P (SEQ)"), cmp);
            });
            out.println();
            out.println(r.srm() == null ? "SRM: no data"
                    : String.format(Locale.ROOT, "SRM: %s (chi-square %.3f, p %.4f)", r.srm().mismatch() ? "MISMATCH" : "ok",
                    r.srm().chiSquare(), r.srm().pValue()));
            r.verdicts().forEach((v, s) -> out.println("verdict " + v + ": " + s));
        }

        private static String num(double x) {
            return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4g", x) : "-";
        }

        private static String interval(Interval i) {
            return i == null ? "-" : "[" + num(i.lower()) + ", " + num(i.upper()) + "]";
        }
    }
}
