package io.keel.cli;

import io.keel.app.DataDirs;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Ingest Keel's own docs/ into a fresh data directory and serve them.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", description = "port to listen on (default 8080)")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory, wiped first (default: keel-data/demo)")
    Path data;

    @Option(names = "--docs", paramLabel = "DIR", description = "folder to ingest (default: the docs/ folder of this Keel checkout)")
    Path docs;

    @Override
    public Integer call() throws Exception {
        Path source = docs != null ? docs : defaultDocs();
        Path dir = data != null ? data : Path.of("keel-data", "demo");
        DataDirs.wipe(dir);
        KeelConfig config = KeelConfig.load(null).withDataDir(dir);
        if (port != null) config = config.withServer(config.server().withPort(port));
        try (Keel keel = Keel.open(config)) {
            System.err.println("keel: ingesting " + source.toAbsolutePath() + " into a fresh " + dir);
            IngestCommand.ingest(keel, List.of(source), null, keel.config().ingest().options(), System.err);
        }
        return ServeCommand.serve(config);
    }

    private static Path defaultDocs() {
        String home = System.getenv("KEEL_HOME");
        Path docs = (home == null ? Path.of(".") : Path.of(home)).resolve("docs");
        if (!Files.isDirectory(docs)) {
            throw KeelException.invalid("no docs/ folder at " + docs.toAbsolutePath() + "; run from the Keel checkout or pass --docs DIR");
        }
        return docs;
    }
}
