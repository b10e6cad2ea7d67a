package io.keel.cli;

import io.keel.app.RequestErasure;
import io.keel.app.Stores;
import io.keel.app.Times;
import io.keel.core.security.AuditActor;
import io.keel.core.spi.RequestPurge;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.SqlRequestStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;

/** The request log's retention and erasure: {@code keel requests purge}. */
@Command(name = "requests", mixinStandardHelpOptions = true, description = "Erase records from the request log.",
        subcommands = RequestsCommand.Purge.class)
final class RequestsCommand {

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = {"Deletes request-log records (question, answer, retrieved context) of one user and/or older than a date.",
                    "The purge is recorded in the audit log (requests.purged, with the filter and the count)."})
    static final class Purge extends KeelCommand {
        @Option(names = "--user", paramLabel = "ID", description = "erase this end user's records")
        String user;

        @Option(names = "--tenant", paramLabel = "NAME", description = "only within this tenant")
        String tenant;

        @Option(names = "--before", paramLabel = "TIME", description = "erase records older than: 2026-11-01 or 2026-11-01T08:00:00Z")
        String before;

        @Option(names = "--actor", paramLabel = "NAME", description = "who purges, for the audit log (default: the OS user)")
        String actor = ModelsCommand.ActorOption.actorDefault();

        @Override
        protected int run(PrintWriter out) {
            RequestPurge purge = new RequestPurge(tenant, user, Times.parse("--before", before));
            int n;
            try (Database db = Stores.open(common.load()); SqlRequestStore store = new SqlRequestStore(db)) {
                n = new RequestErasure(store, new SqlAuditLog(db), Clock.systemUTC()).purge(purge, AuditActor.user(actor));
            }
            out.println("purged " + n + " request record(s) " + purge.describe() + "; recorded in the audit log");
            return ExitCodes.OK;
        }
    }
}
