package io.keel.generator.extractive;

import io.keel.core.query.SearchHit;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.embed.onnx.OnnxEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExtractiveGeneratorTest {
    private static OnnxEmbedder embedder;
    private static ExtractiveGenerator generator;

    @BeforeAll
    static void setUp() {
        embedder = OnnxEmbedder.createDefault();
        generator = new ExtractiveGenerator(embedder, ExtractiveConfig.defaults());
    }

    @AfterAll
    static void tearDown() {
        embedder.close();
    }

    private static SearchHit hit(String doc, int n, String text) {
        return new SearchHit(doc, doc + "#" + n, 1.0f / (n + 1), text, doc + ".md", doc, List.of(), Map.of());
    }

    private final List<SearchHit> context = List.of(
            hit("ingest", 0, "Keel reads Markdown, PDF and Word files. Run keel ingest with a folder to add documents to the index. "
                    + "Unchanged files are skipped on the next run."),
            hit("weather", 0, "The weather in spring is mild. Tulips bloom in April."),
            hit("server", 0, "The server listens on port 8080 by default. Health checks live under /health."));

    @Test
    void answersWithTheMostRelevantSentencesAndCitesTheirChunks() {
        Generation g = generator.generate(new GenerationRequest("How do I add documents to the index?", null, context));

        assertThat(g.text()).contains("Run keel ingest with a folder to add documents to the index. [1]");
        assertThat(g.text()).doesNotContain("Tulips");
        assertThat(g.citations()).isNotEmpty();
        assertThat(g.citations().getFirst().chunkId()).isEqualTo("ingest#0");
        assertThat(g.generator()).isEqualTo("extractive");
    }

    @Test
    void isDeterministic() {
        var request = new GenerationRequest("Which port does the server use?", null, context);
        Generation first = generator.generate(request);
        for (int i = 0; i < 3; i++) assertThat(generator.generate(request)).isEqualTo(first);
        assertThat(first.text()).contains("8080");
    }

    @Test
    void saysSoWhenThereIsNoContext() {
        Generation g = generator.generate(new GenerationRequest("anything", null, List.of()));
        assertThat(g.text()).isEqualTo(ExtractiveGenerator.NO_ANSWER);
        assertThat(g.citations()).isEmpty();
    }
}
