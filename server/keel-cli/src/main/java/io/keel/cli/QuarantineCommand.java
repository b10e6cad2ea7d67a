package io.keel.cli;

import io.keel.core.spi.QuarantinedChunk;
import io.keel.store.sql.SqlQuarantineStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code keel quarantine}: the chunks held back at ingestion, from the configured store (as {@code GET /v1/quarantine}). */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = "Chunks held back at ingestion (never indexed): where they were going and why.",
        subcommands = {QuarantineCommand.ListChunks.class})
final class QuarantineCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List quarantined chunks, newest first, with their reason.")
    static final class ListChunks extends KeelCommand {
        @Option(names = "--collection", paramLabel = "NAME", description = "only this collection")
        String collection;
        @Option(names = "--limit", defaultValue = "100", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;
        @Option(names = "--text", description = "print each chunk's text under its line")
        boolean text;

        @Override
        protected int run(PrintWriter out) {
            record Listing(long total, List<QuarantinedChunk> chunks) {
            }
            Listing l = withStore(SqlQuarantineStore::new, s -> new Listing(s.count(collection), s.list(collection, Math.max(1, limit))));
            if (l.chunks().isEmpty()) {
                out.println("no quarantined chunks" + (collection == null ? "" : " in '" + collection + "'"));
                return ExitCodes.OK;
            }
            out.printf("%-6s %-20s %-16s %-30s %-7s %s%n", "ID", "QUARANTINED", "COLLECTION", "DOCUMENT", "CHUNK", "REASON");
            for (QuarantinedChunk c : l.chunks()) {
                out.printf("%-6d %-20s %-16s %-30s %-7d %s%n", c.id(), c.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        c.collection(), c.documentId(), c.ordinal(), c.reason());
                if (text) out.println("       " + c.text().replace("\n", "\n       "));
            }
            out.println(l.chunks().size() + " of " + l.total() + " quarantined chunk(s)");
            return ExitCodes.OK;
        }
    }
}
