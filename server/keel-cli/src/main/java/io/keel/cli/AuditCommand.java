package io.keel.cli;

import io.keel.app.Times;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditQuery;
import io.keel.core.security.AuditVerification;
import io.keel.store.sql.SqlAuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The audit log: {@code keel audit verify} checks its hash chain, {@code keel audit list} prints entries. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The tamper-evident audit log of security-relevant actions (docs/security.md).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListEntries.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Walks the hash chain. Exit 0: intact; exit 1: names the first entry that was edited, deleted,",
                    "inserted or reordered. Prints the head hash: keep it elsewhere to detect a rewrite of the whole log."})
    static final class Verify extends KeelCommand {
        @Override
        protected int run(PrintWriter out) {
            AuditVerification v = withStore(SqlAuditLog::new, SqlAuditLog::verify);
            if (v.intact()) {
                out.println(v.entries() + " entries, chain intact");
                out.println("head " + v.headHash());
                return ExitCodes.OK;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("keel: audit log broken at entry " + v.firstBad() + ": " + v.problem());
            err.flush();
            return ExitCodes.FAILED;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Audit entries, newest first.")
    static final class ListEntries extends KeelCommand {
        @Option(names = "--since", paramLabel = "TIME", description = "only entries at or after: 2026-11-01 or 2026-11-01T08:00:00Z")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "only entries before")
        String until;

        @Option(names = "--action", paramLabel = "NAME", description = "only this action, e.g. model.promoted")
        String action;

        @Option(names = "--tenant", paramLabel = "NAME", description = "only actions by this tenant")
        String tenant;

        @Option(names = "--actor", paramLabel = "ID", description = "only actions by this user or key id")
        String actor;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N entries (default: ${DEFAULT-VALUE}, max 1000)")
        int limit;

        @Override
        protected int run(PrintWriter out) {
            AuditQuery q = new AuditQuery(Times.parse("--since", since), Times.parse("--until", until), tenant, actor, action, null, limit);
            List<AuditEntry> entries = withStore(SqlAuditLog::new, log -> log.find(q));
            List<List<String>> rows = new ArrayList<>();
            for (AuditEntry e : entries) {
                rows.add(List.of(Long.toString(e.seq()), e.event().at().toString(), e.event().actor().toString(), e.event().action(),
                        e.event().target(), io.keel.http.HttpJson.MAPPER.valueToTree(e.event().details()).toString()));
            }
            TextTable.print(out, List.of("seq", "time", "actor", "action", "target", "details"), rows);
            return ExitCodes.OK;
        }
    }
}
