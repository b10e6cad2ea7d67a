package io.keel.cli;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.ingest.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel graph rebuild}: a collection ingested without the graph gets one from its own index, no embedding. */
class GraphCommandTest {
    @TempDir
    Path dir;

    @Test
    void rebuildsTheGraphOfACollectionIngestedWithoutIt() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("tolkien.md"), "# Tolkien\n\nJohn Tolkien taught at Oxford University.");
        Path data = dir.resolve("data");
        try (Keel keel = Keel.open(KeelConfig.fromTree(Map.of("data_dir", data.toString()), Map.of()))) {
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
        }

        CliRun disabled = run("graph", "rebuild", "--collection", "default", "--data", data.toString());
        assertThat(disabled.exit()).isNotZero();
        assertThat(disabled.err()).contains("graph.enabled");

        Path config = Files.writeString(dir.resolve("keel.yaml"), "graph:\n  enabled: true\n");
        CliRun ok = run("graph", "rebuild", "--collection", "default", "--config", config.toString(), "--data", data.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).containsPattern("rebuilt the graph of 'default': 1 chunks, [3-9] entities");
    }
}
