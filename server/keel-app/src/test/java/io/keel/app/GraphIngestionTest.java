package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import io.keel.core.query.Filters;
import io.keel.core.query.RetrievalMode;
import io.keel.graph.spi.GraphSnapshot;
import io.keel.ingest.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The graph follows ingestion: a changed file replaces only its own mentions, a file that vanished from the folder
 * takes its evidence with it, entities nobody mentions any more are gone; mode graph needs graph.enabled.
 */
class GraphIngestionTest {
    @TempDir
    Path dir;

    private static Set<String> entities(Keel keel) {
        GraphSnapshot s = keel.graph().orElseThrow().store().snapshot("default");
        return s.nodes().stream().map(GraphSnapshot.Node::name).collect(Collectors.toSet());
    }

    private static Set<String> documentsMentioning(Keel keel) {
        return keel.graph().orElseThrow().store().snapshot("default").mentions().stream()
                .map(GraphSnapshot.MentionRow::documentId).collect(Collectors.toSet());
    }

    @Test
    void changedAndDeletedDocumentsUpdateExactlyTheirOwnEvidence() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("tolkien.md"), "# Tolkien\n\nJohn Tolkien taught at Oxford University and wrote in Birmingham.");
        Files.writeString(docs.resolve("lewis.md"), "# Lewis\n\nClive Lewis taught at Oxford University with John Tolkien.");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "graph", Map.of("enabled", true)), Map.of());
        try (Keel keel = Keel.open(config)) {
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(entities(keel)).contains("John Tolkien", "Oxford University", "Birmingham", "Clive Lewis");
            Set<String> documents = documentsMentioning(keel);
            assertThat(documents).hasSize(2);
            long lewisRows = keel.graph().orElseThrow().store().snapshot("default").mentions().stream()
                    .filter(m -> m.documentId().contains("lewis")).count();

            Files.writeString(docs.resolve("tolkien.md"), "# Tolkien\n\nJohn Tolkien taught at Oxford University and lived in Bournemouth.");
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(entities(keel)).contains("Bournemouth", "Oxford University").doesNotContain("Birmingham");
            assertThat(keel.graph().orElseThrow().store().snapshot("default").mentions().stream()
                    .filter(m -> m.documentId().contains("lewis")).count()).isEqualTo(lewisRows);

            Files.delete(docs.resolve("lewis.md"));
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(entities(keel)).doesNotContain("Clive Lewis", "Lewis").contains("John Tolkien", "Oxford University");
            assertThat(documentsMentioning(keel)).hasSize(1).allMatch(d -> d.contains("tolkien"));

            var hits = keel.search(new QueryInput("Where did the author of The Hobbit teach?", 5, RetrievalMode.GRAPH, Filters.NONE, "default")).hits();
            assertThat(hits).isNotEmpty();
            assertThat(hits.getFirst().metadata()).containsKey("graph_path");
        }
    }

    @Test
    void modeGraphWithoutTheGraphIsAClearError() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(docs.resolve("a.md"), "# A\n\nSome text about Oxford University.");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data2").toString()), Map.of());
        try (Keel keel = Keel.open(config)) {
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(keel.graph()).isEmpty();
            assertThatThrownBy(() -> keel.search(new QueryInput("Oxford", 5, RetrievalMode.GRAPH, Filters.NONE, "default")))
                    .isInstanceOf(KeelException.class).hasMessageContaining("graph.enabled");
        }
    }
}
