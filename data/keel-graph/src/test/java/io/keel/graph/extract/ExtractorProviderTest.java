package io.keel.graph.extract;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.graph.GraphSettings;
import io.keel.graph.KnowledgeGraph;
import io.keel.graph.sql.SqlGraphStore;
import io.keel.store.sql.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractorProviderTest {
    @TempDir
    Path dir;

    @Test
    void thePatternExtractorIsFoundByName() {
        EntityExtractor e = ExtractorProvider.named("pattern").create(new KnownEntities(List.of()));
        assertThat(e).isInstanceOf(PatternEntityExtractor.class);
    }

    @Test
    void anExtractorWhoseModuleIsMissingStopsStartupNamingTheModule() {
        assertThat(ExtractorProvider.available()).as("keel-graph-ner is not a dependency of keel-graph").doesNotContainKey("ner");
        assertThatThrownBy(() -> ExtractorProvider.named("ner"))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("graph.extractor is 'ner'")
                .hasMessageContaining("available: pattern")
                .hasMessageContaining("io.keel:keel-graph-ner");
        GraphSettings d = GraphSettings.defaults();
        GraphSettings ner = new GraphSettings(true, "ner", d.candidates(), d.expand(), d.seedPassages(), d.passageWeight(),
                d.damping(), d.epsilon(), d.graphWeight(), d.rrfK(), d.pairWindow());
        try (Database db = Database.sqlite(dir.resolve("keel.db"))) {
            SqlGraphStore store = new SqlGraphStore(db);
            assertThatThrownBy(() -> new KnowledgeGraph(store, ner))
                    .as("the knowledge graph is built at startup").hasMessageContaining("keel-graph-ner");
        }
    }
}
