package io.keel.cli;

import io.keel.app.Keel;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.IngestProgress;
import io.keel.ingest.parse.DocumentDefaults;
import io.keel.ingest.IngestReport;
import io.keel.ingest.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Add files and folders to a collection. Re-running skips unchanged files, re-embeds changed ones",
                "and removes documents whose files are gone. Safe to interrupt: a re-run picks up where it stopped."})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders (.md .txt .html .pdf .docx .pptx .jsonl)")
    List<Path> paths;

    @Option(names = "--collection", paramLabel = "NAME", description = "collection to write (default: retrieval.collection)")
    String collection;

    @Option(names = "--root", paramLabel = "DIR", description = "folder document ids are relative to (default: the parent of each given folder)")
    Path root;

    @Option(names = "--tenant", paramLabel = "NAME", description = "tenant that owns the documents (default: default)")
    String tenant;

    @Option(names = "--acl", paramLabel = "PRINCIPAL", split = ",", description = "principals allowed to read the documents (default: everyone in the tenant)")
    List<String> acl;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "metadata added to every document, filterable at query time")
    Map<String, String> metadata;

    @Override
    public Integer call() {
        for (Path p : paths) {
            if (!Files.exists(p)) throw io.keel.core.error.KeelException.invalid("path " + p + " does not exist");
        }
        try (Keel keel = Keel.open(common.load())) {
            IngestOptions options = keel.config().ingest().options()
                    .withRoot(root)
                    .withDocumentDefaults(new DocumentDefaults(tenant, acl, metadata));
            IngestReport report = ingest(keel, paths, collection, options, System.err);
            return report.clean() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    /** Runs an ingestion with a progress bar and prints the report; shared with {@code keel demo}. */
    static IngestReport ingest(Keel keel, List<Path> paths, String collection, IngestOptions options, PrintStream out) {
        ProgressBar bar = new ProgressBar(out, System.console() != null);
        IngestReport report = keel.ingest(paths, collection, options, new ProgressListener() {
            @Override
            public void progress(IngestProgress p) {
                bar.update(p.fraction(), p.filesDone() + "/" + p.filesTotal() + " files  " + p.chunksDone() + " chunks",
                        p.chunksPerSecond(), "chunks/s", p.eta().orElse(null), false);
            }

            @Override
            public void failed(IngestReport.Problem problem) {
                bar.finish();
                out.println("keel: " + problem);
            }
        });
        bar.finish();
        out.printf(Locale.ROOT, "ingested into '%s' (version %d): %d added, %d updated, %d unchanged, %d deleted, %d failed, "
                        + "%d unsupported; %d chunks in %.1f s%s%s%n",
                collection == null ? keel.config().retrieval().defaultCollection() : collection, report.indexVersion(),
                report.added(), report.updated(), report.unchanged(), report.deleted(), report.failed().size(),
                report.skipped().size(), report.chunksWritten(), report.elapsed().toMillis() / 1000.0,
                report.vectorsReused() == 0 ? "" : " (" + report.vectorsReused() + " unchanged, vectors reused)",
                report.quarantined().isEmpty() ? "" : "; " + report.quarantined().size() + " chunks quarantined");
        for (IngestReport.Problem p : report.failed()) out.println("  failed: " + p);
        return report;
    }
}
