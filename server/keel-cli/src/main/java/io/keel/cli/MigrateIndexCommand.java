package io.keel.cli;

import io.keel.app.IndexMigration;
import io.keel.app.Keel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "migrate-index", mixinStandardHelpOptions = true,
        description = "Copy a collection between index backends (e.g. lucene to pgvector) with its vectors and versions; nothing is re-embedded.")
final class MigrateIndexCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "BACKEND", required = true, description = "backend to copy from, e.g. lucene")
    String from;

    @Option(names = "--to", paramLabel = "BACKEND", required = true, description = "backend to copy into, e.g. pgvector")
    String to;

    @Option(names = "--collection", paramLabel = "NAME", required = true, description = "collection to copy")
    String collection;

    @Option(names = "--pgvector-url", paramLabel = "JDBC_URL",
            description = "PostgreSQL for the pgvector side when it is not the configured index.backend (default: the store.backend: postgresql database)")
    String pgvectorUrl;

    @Override
    public Integer call() {
        Map<String, Object> other = new LinkedHashMap<>();
        if (pgvectorUrl != null) other.put("pgvector", Map.of("url", pgvectorUrl));
        java.io.PrintWriter err = spec.commandLine().getErr();
        try (Keel keel = Keel.open(common.load())) {
            long start = System.nanoTime();
            IndexMigration.Report r = IndexMigration.copy(keel, from, to, collection, other,
                    done -> {
                        err.print("\rkeel: copied " + done + " documents");
                        err.flush();
                    });
            err.println();
            err.printf("keel: copied '%s' from %s to %s: %d documents, %d chunks, %d tombstones in %.1f s (%s, version %d)%n",
                    collection, from, to, r.documents(), r.chunks(), r.tombstones(), (System.nanoTime() - start) / 1e9,
                    r.target().embeddingModel(), r.target().version());
            err.flush();
            return ExitCodes.OK;
        }
    }
}
