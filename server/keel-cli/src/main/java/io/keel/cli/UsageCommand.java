package io.keel.cli;

import io.keel.app.Stores;
import io.keel.app.Times;
import io.keel.core.spi.UsageQuery;
import io.keel.core.spi.UsageRow;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlRequestStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cost attribution from the request log: the same numbers as {@code GET /v1/usage}, as a table or CSV. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Requests, tokens and cost from the request log, grouped as asked.",
                "Dimensions: " + "tenant, user, app, feature, route, model, model_version, prompt_id, prompt_version, experiment, variant, status, day"})
final class UsageCommand extends KeelCommand {
    @Option(names = "--group-by", paramLabel = "DIMS", defaultValue = "tenant,model", description = "comma-separated dimensions (default: ${DEFAULT-VALUE})")
    String groupBy;

    @Option(names = "--from", paramLabel = "TIME", description = "start, inclusive: 2026-11-01 or 2026-11-01T08:00:00Z")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive")
    String to;

    @Option(names = "--tenant", paramLabel = "NAME", description = "only this tenant")
    String tenant;

    @Option(names = "--csv", description = "print CSV instead of a table")
    boolean csv;

    @Override
    protected int run(PrintWriter out) {
        List<String> dims = groupBy.isBlank() ? List.of() : Arrays.stream(groupBy.split(",")).map(String::strip).toList();
        UsageQuery query = new UsageQuery(dims, Times.parse("--from", from), Times.parse("--to", to), tenant);
        List<UsageRow> rows;
        try (Database db = Stores.open(common.load()); SqlRequestStore store = new SqlRequestStore(db)) {
            rows = store.usage(query);
        }
        List<String> header = new ArrayList<>(dims);
        header.addAll(List.of("requests", "errors", "prompt_tokens", "completion_tokens", "estimated", "cost_usd"));
        List<List<String>> table = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (UsageRow r : rows) {
            List<String> line = new ArrayList<>();
            for (String d : dims) line.add(r.group().get(d) == null ? "" : r.group().get(d));
            line.addAll(List.of(Long.toString(r.requests()), Long.toString(r.errors()), Long.toString(r.promptTokens()),
                    Long.toString(r.completionTokens()), Long.toString(r.estimatedRequests()), r.costUsd().stripTrailingZeros().toPlainString()));
            table.add(line);
            total = total.add(r.costUsd());
        }
        if (csv) {
            out.println(String.join(",", header));
            for (List<String> line : table) out.println(String.join(",", line.stream().map(UsageCommand::csvField).toList()));
        } else {
            TextTable.print(out, header, table);
            out.println();
            out.println("total cost: $" + total.stripTrailingZeros().toPlainString() + " over " + rows.size() + " group(s)");
        }
        return ExitCodes.OK;
    }
    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

}
