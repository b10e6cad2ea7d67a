package io.keel.cli;

import io.keel.app.Keel;
import io.keel.core.spi.IndexInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Re-embed every chunk of a collection with the configured embedding model (after a model change).")
final class ReindexCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--collection", paramLabel = "NAME", required = true, description = "collection to re-embed")
    String collection;

    @Override
    public Integer call() {
        try (Keel keel = Keel.open(common.load())) {
            ProgressBar bar = new ProgressBar(System.err, System.console() != null);
            long start = System.nanoTime();
            IndexInfo info = keel.reindex(collection, (done, total) -> {
                double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
                double rate = done / seconds;
                Duration eta = rate > 0 ? Duration.ofSeconds((long) ((total - done) / rate)) : null;
                bar.update(total == 0 ? 1 : (double) done / total, done + "/" + total + " chunks", rate, "chunks/s", eta, done == total);
            });
            bar.finish();
            System.err.println("keel: re-embedded " + info.chunks() + " chunks of '" + collection + "' with "
                    + info.embeddingModel() + " (version " + info.version() + ")");
            return ExitCodes.OK;
        }
    }
}
