package io.keel.cli;

import io.keel.app.Keel;
import io.keel.app.replay.EvaluationJson;
import io.keel.app.replay.EvaluationRun;
import io.keel.app.replay.EvaluationStore;
import io.keel.app.replay.Gate;
import io.keel.app.replay.GateVerdict;
import io.keel.app.replay.ReplayRow;
import io.keel.app.replay.ReplaySpec;
import io.keel.app.replay.ReplaySummary;
import io.keel.app.replay.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Re-runs logged requests against a candidate model and/or prompt, prints the comparison and stores it as an
 * evaluation run ({@code GET /v1/evaluations/{id}}). With {@code --gate} it exits 1 when the candidate regresses.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay logged requests against a candidate model or prompt and compare cost, tokens, latency, "
                + "groundedness, guard hits and answer similarity with the originals (see docs/replay.md).",
                "Exit codes: 0 ok (gate passed or no gate), 1 the gate failed or the run failed, 2 bad usage."})
final class ReplayCommand extends KeelCommand {
    @Option(names = "--from", required = true, paramLabel = "TIME", description = "start, inclusive: 2026-11-01 or 2026-11-01T08:00:00Z")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "end, exclusive")
    String to;

    @Option(names = "--candidate", paramLabel = "SPEC",
            description = "model=NAME@VERSION,prompt=ID@VERSION (either part optional; a prompt version may be a label). "
                    + "Without a model each request is re-asked of the model that answered it; without a prompt, with the prompt it used.")
    String candidate;

    @Option(names = "--re-retrieve", description = "search the index again instead of answering from the context frozen in the log")
    boolean reRetrieve;

    @Option(names = "--limit", paramLabel = "N", description = "replay at most N requests, the newest of the window (default: "
            + ReplaySpec.DEFAULT_LIMIT + ")")
    Integer limit;

    @Option(names = "--route", paramLabel = "ROUTE", description = "request-log route to replay, repeatable (default: /v1/query and "
            + "/v1/chat/completions answered by rag: models)")
    List<String> routes;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "replay only this tenant's requests; its developers and "
            + "viewers may then read the run (default: every tenant's, readable by admins only)")
    String tenant;

    @Option(names = "--gate", paramLabel = "FILE", description = "YAML thresholds; exit 1 when the candidate crosses any")
    Path gate;

    @Option(names = "--json", description = "print the evaluation run as GET /v1/evaluations/{id} returns it")
    boolean json;

    @Override
    protected int run(PrintWriter out) throws Exception {
        ReplaySpec replay = ReplaySpec.of(from, to, candidate, reRetrieve, limit, routes).withTenant(tenant);
        Gate thresholds = gate == null ? null : Gate.load(gate);
        EvaluationRun run;
        try (Keel keel = Keel.open(common.load())) {
            run = new Replayer(keel).run(replay, (done, total, row) -> {
                if (done % 10 == 0 || done == total) System.err.printf(Locale.ROOT, "\rreplayed %d/%d", done, total);
                if (done == total) System.err.println();
            });
            if (thresholds != null) run = run.withVerdict(thresholds.evaluate(run.summary()));
            new EvaluationStore(keel.database()).save(run);
        }
        if (json) {
            out.println(EvaluationJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(EvaluationJson.run(run, true)));
        } else {
            print(out, run);
        }
        return run.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static void print(PrintWriter out, EvaluationRun run) {
        List<List<String>> table = new ArrayList<>();
        for (ReplayRow r : run.rows()) {
            ReplayRow.Side o = r.original();
            ReplayRow.Side c = r.candidate();
            if (c == null) {
                table.add(List.of(r.requestId(), "$" + cost(o.costUsd()), "-", o.totalTokens() + "", "-", ms(o.latencyMs()), "-",
                        share(o.groundedness()), "-", hits(o.guardHits()), "-", "-", "error: " + oneLine(r.error())));
            } else {
                table.add(List.of(r.requestId(), "$" + cost(o.costUsd()), "$" + cost(c.costUsd()), o.totalTokens() + "", c.totalTokens() + "",
                        ms(o.latencyMs()), ms(c.latencyMs()), share(o.groundedness()), share(c.groundedness()), hits(o.guardHits()),
                        hits(c.guardHits()), share(r.similarity()), r.changed() ? "changed" : "ok"));
            }
        }
        TextTable.print(out, List.of("request", "cost", "cost'", "tokens", "tokens'", "ms", "ms'", "grounded", "grounded'", "guard", "guard'",
                "similarity", "status"), table);
        out.println("(' = candidate" + (run.spec().candidate().isEmpty() ? ": the models and prompts that answered" : ": " + run.spec().candidate()) + ")");
        out.println();

        ReplaySummary s = run.summary();
        ReplaySummary.Totals o = s.original();
        ReplaySummary.Totals c = s.candidate();
        out.printf(Locale.ROOT, "requests     %d replayed, %d failed (error rate %.1f%%)%s%n", s.replayed(), s.errors(), s.errorRate() * 100,
                s.skipped().isEmpty() ? "" : "; skipped " + skipped(s.skipped()));
        out.printf(Locale.ROOT, "cost         $%s -> $%s (%s)%n", cost(o.costUsd()), cost(c.costUsd()), pct(s.deltas().costPct()));
        out.printf(Locale.ROOT, "tokens       %d -> %d (%s); prompt %d -> %d, completion %d -> %d%n", o.totalTokens(), c.totalTokens(),
                pct(s.deltas().tokensPct()), o.promptTokens(), c.promptTokens(), o.completionTokens(), c.completionTokens());
        out.printf(Locale.ROOT, "latency      mean %s -> %s ms (%s)%n", ms(o.meanLatencyMs()), ms(c.meanLatencyMs()), pct(s.deltas().latencyPct()));
        out.printf(Locale.ROOT, "groundedness mean %s -> %s (%s)%n", share(o.meanGroundedness()), share(c.meanGroundedness()),
                s.deltas().groundedness() == null ? "n/a" : String.format(Locale.ROOT, "%+.3f", s.deltas().groundedness()));
        out.printf(Locale.ROOT, "guard hits   %s -> %s%n", o.guardHits() == null ? "n/a" : o.guardHits(), c.guardHits() == null ? "n/a" : c.guardHits());
        out.printf(Locale.ROOT, "similarity   mean %s; %s of answers changed materially (similarity < %.1f)%n", share(s.meanSimilarity()),
                s.changedShare() == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", s.changedShare() * 100), Replayer.CHANGED_BELOW);
        for (String note : s.notes()) out.println("note: " + note);
        out.println();
        out.println("evaluation run " + run.id() + " (GET /v1/evaluations/" + run.id() + ")");
        GateVerdict v = run.verdict();
        if (v != null) {
            if (v.passed()) {
                out.println("gate: passed (" + v.checks().size() + " checks)");
            } else {
                out.println("gate: FAILED");
                for (GateVerdict.Check f : v.failures()) out.println("  " + f.name() + ": " + f.message());
            }
        }
    }
    private static String skipped(Map<String, Integer> skipped) {
        List<String> parts = new ArrayList<>();
        skipped.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts);
    }

    private static String cost(double usd) {
        return new java.math.BigDecimal(usd).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    private static String share(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String hits(Integer v) {
        return v == null ? "-" : v.toString();
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", v);
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String line = s.replace('\n', ' ');
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
