package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.query.Filters;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.ingest.ProgressListener;
import io.keel.test.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code experiments.dir} with a retrieval experiment: every request of a user gets that user's arm, the arm's
 * retrieval mode and top_k are the ones searched with, and lineage and the request log name experiment and variant.
 */
class ExperimentsEndToEndTest {
    private static final String EXPERIMENT = """
            name: retrieval-modes
            unit: user
            targeting: {routes: [/v1/retrieve, /v1/query]}
            variants:
              - name: control
              - name: bm25
                overrides: {retrieval: {mode: bm25, top_k: 2}}
            """;

    @Test
    void usersAreSplitStickilyAndTheArmsSettingsAreUsedAndRecorded(@TempDir Path dir) throws Exception {
        Path docs = TestFiles.folder(dir, "handbook", TestFiles.HANDBOOK);
        Path experiments = TestFiles.folder(dir, "experiments", "retrieval-modes.yaml", EXPERIMENT);
        Map<String, Object> tree = Map.of("data_dir", dir.resolve("data").toString(),
                "experiments", Map.of("dir", experiments.toString()));

        try (Keel keel = Keel.open(KeelConfig.fromTree(tree, Map.of()))) {
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
            RequestStore log = keel.requests().orElseThrow();
            QueryInput question = new QueryInput("How long are customer records kept?", 4, null, Filters.NONE, null);
            Map<String, String> armOf = new HashMap<>();
            for (int u = 0; u < 24; u++) {
                Caller caller = new Caller("acme", "user-" + u, null, null);
                Retrieval r = keel.retrieve(question, "/v1/retrieve", caller);
                String arm = r.lineage().variant();
                assertThat(r.lineage().experiment()).isEqualTo("retrieval-modes");
                assertThat(arm).isIn("control", "bm25");
                if (arm.equals("bm25")) {
                    assertThat(r.lineage().retrieval()).containsEntry("mode", "bm25").containsEntry("top_k", 2);
                    assertThat(r.hits()).hasSizeLessThanOrEqualTo(2);
                } else {
                    assertThat(r.lineage().retrieval()).containsEntry("mode", "hybrid").containsEntry("top_k", 4);
                }
                RequestRecord logged = log.get(r.id()).orElseThrow();
                assertThat(logged.lineage().experiment()).isEqualTo("retrieval-modes");
                assertThat(logged.lineage().variant()).isEqualTo(arm);
                armOf.put(caller.user(), arm);
                assertThat(keel.retrieve(question, "/v1/retrieve", caller).lineage().variant()).as("sticky").isEqualTo(arm);
            }
            assertThat(armOf.values()).contains("control", "bm25");

            Answer answer = keel.query(question, "/v1/query", new Caller("acme", "user-3", null, null));
            assertThat(answer.lineage().experiment()).isEqualTo("retrieval-modes");
            assertThat(answer.lineage().variant()).isEqualTo(armOf.get("user-3"));
            Retrieval outside = keel.retrieve(question, "/v1/retrieve", Caller.ANONYMOUS);
            assertThat(outside.lineage().experiment()).as("no user: not enrolled").isNull();
        }
    }

    @Test
    void anInvalidDefinitionStopsStartupNamingTheFile(@TempDir Path dir) throws Exception {
        Path experiments = Files.createDirectories(dir.resolve("experiments"));
        Files.writeString(experiments.resolve("broken.yaml"), EXPERIMENT.replace("mode: bm25", "mode: fuzzy"));
        Map<String, Object> tree = Map.of("data_dir", dir.resolve("data").toString(), "experiments", Map.of("dir", experiments.toString()));
        assertThatThrownBy(() -> Keel.open(KeelConfig.fromTree(tree, Map.of()))).isInstanceOf(KeelException.class)
                .hasMessageContaining("broken.yaml").hasMessageContaining("retrieval.mode");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("experiments", Map.of("folder", "x")), Map.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("experiments.folder");
        assertThat(KeelConfig.defaults().experiments().dir()).isNull();
    }
}
