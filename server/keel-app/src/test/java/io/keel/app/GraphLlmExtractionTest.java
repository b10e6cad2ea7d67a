package io.keel.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import io.keel.core.spi.UsageQuery;
import io.keel.core.spi.UsageRow;
import io.keel.graph.KnowledgeGraph;
import io.keel.graph.llm.LlmEntityExtractor;
import io.keel.graph.llm.LlmExtractionStats;
import io.keel.graph.llm.LlmExtractorProvider;
import io.keel.graph.spi.GraphSnapshot;
import io.keel.ingest.IngestReport;
import io.keel.ingest.ProgressListener;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code graph.extractor: llm} against a fake OpenAI-compatible server: chunks asked in batches, answers cached by
 * chunk hash (a rebuild asks nothing), every call priced and attributed in the request log, and an answer in no
 * usable form falling back to the pattern extractor without failing the ingestion.
 */
class GraphLlmExtractionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PASSAGE = Pattern.compile("Passage (\\d+):\\n(.*?)(?=\\n\\nPassage \\d+:|$)", Pattern.DOTALL);
    /** What the fake model "knows": names it finds in a passage however they are written. */
    private static final List<String> NAMES = List.of("John Tolkien", "Oxford University", "The Hobbit", "Clive Lewis", "Narnia");

    @TempDir
    Path dir;

    /** The model's answer: for each passage, the names of {@link #NAMES} it contains (case-insensitively), related in order. */
    private static Reply answer(RecordedRequest request) {
        try {
            JsonNode body = JSON.readTree(request.body());
            String user = body.get("messages").get(1).get("content").asText();
            List<Map<String, Object>> passages = new ArrayList<>();
            Matcher m = PASSAGE.matcher(user);
            while (m.find()) {
                String text = m.group(2).toLowerCase(java.util.Locale.ROOT);
                List<String> found = NAMES.stream().filter(n -> text.contains(n.toLowerCase(java.util.Locale.ROOT))).toList();
                List<List<String>> pairs = new ArrayList<>();
                for (int i = 1; i < found.size(); i++) pairs.add(List.of(found.get(i - 1), found.get(i)));
                passages.add(Map.of("id", Integer.parseInt(m.group(1)), "entities", found, "relations", pairs));
            }
            return Reply.text(JSON.writeValueAsString(Map.of("passages", passages))).withUsage(200, 40);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path documents() throws java.io.IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("tolkien.md"), "# Tolkien\n\nJohn Tolkien taught at oxford university, where he wrote the hobbit.");
        Files.writeString(docs.resolve("lewis.md"), "# Lewis\n\nClive Lewis taught at oxford university and wrote about narnia.");
        Files.writeString(docs.resolve("inklings.md"), "# Inklings\n\nThe Inklings met in Oxford; Clive Lewis read from narnia.");
        return docs;
    }

    private KeelConfig config(FakeOpenAiServer upstream, String data) {
        return KeelConfig.fromTree(Map.of("data_dir", dir.resolve(data).toString(),
                "models", List.of(upstream.modelEntry("extractor")),
                "graph", Map.of("enabled", true, "extractor", "llm", "llm", Map.of("model", "extractor", "batch", 2))), Map.of());
    }

    private static Set<String> entities(KnowledgeGraph graph) {
        return graph.store().snapshot("default").nodes().stream().map(GraphSnapshot.Node::name).collect(Collectors.toSet());
    }

    private static LlmExtractionStats stats(KnowledgeGraph graph) {
        return ((LlmExtractorProvider) graph.extractors()).stats();
    }

    @Test
    void chunksAreAskedInBatchesCachedByHashAndEveryCallIsPricedAndAttributed() throws Exception {
        Path docs = documents();
        try (FakeOpenAiServer upstream = new FakeOpenAiServer().responder(GraphLlmExtractionTest::answer);
             Keel keel = Keel.open(config(upstream, "data"))) {
            IngestReport report = keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(report.failed()).isEmpty();
            KnowledgeGraph graph = keel.graph().orElseThrow();
            List<RecordedRequest> calls = upstream.requests("/chat/completions");
            assertThat(calls).as("3 one-chunk documents, 2 chunks per call").hasSize(2);
            assertThat(calls.getFirst().body()).contains("\"model\":\"gpt-4o-mini\"").contains("Passage 1:").contains("Passage 2:");
            assertThat(entities(graph)).as("lower-case names no pattern finds, named as the model wrote them")
                    .contains("The Hobbit", "Narnia", "Oxford University", "John Tolkien", "Clive Lewis");
            assertThat(stats(graph).chunksAsked()).isEqualTo(3);
            assertThat(stats(graph).fallbacks()).isZero();

            UsageRow row = keel.requests().orElseThrow().usage(new UsageQuery(List.of("route", "app", "feature", "model", "tenant"), null, null, null))
                    .stream().filter(r -> LlmEntityExtractor.ROUTE.equals(r.group().get("route"))).findFirst().orElseThrow();
            assertThat(row.group()).containsEntry("app", "keel").containsEntry("feature", "graph-extraction")
                    .containsEntry("model", "extractor").containsEntry("tenant", "default");
            assertThat(row.requests()).isEqualTo(2);
            assertThat(row.promptTokens()).isEqualTo(400);
            assertThat(row.completionTokens()).isEqualTo(80);
            assertThat(row.costUsd()).as("$1 per million input tokens, $2 per million output tokens")
                    .isEqualByComparingTo(new BigDecimal("0.00056"));

            long chunks = graph.rebuild(keel.indexes().collection("default", false));
            assertThat(chunks).isEqualTo(3);
            assertThat(upstream.requests("/chat/completions")).as("every chunk's answer is cached: a rebuild asks nothing").hasSize(2);
            assertThat(stats(graph).chunksCached()).isEqualTo(3);
            assertThat(entities(graph)).contains("The Hobbit", "Narnia");
        }
    }

    @Test
    void anAnswerInNoUsableFormFallsBackToThePatternExtractorAndIsNotCached() throws Exception {
        Path docs = documents();
        try (FakeOpenAiServer upstream = new FakeOpenAiServer()
                .responder(r -> Reply.text("Sure! The passages mention John Tolkien and Clive Lewis.").withUsage(100, 10));
             Keel keel = Keel.open(config(upstream, "data-bad"))) {
            IngestReport report = keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(report.failed()).isEmpty();
            KnowledgeGraph graph = keel.graph().orElseThrow();
            assertThat(stats(graph).fallbacks()).isEqualTo(3);
            assertThat(keel.metrics().registry().get("keel.graph.extraction.fallbacks").functionCounter().count())
                    .as("the fallbacks are a metric").isEqualTo(3.0);
            assertThat(keel.metrics().registry().get("keel.graph.extraction.calls").functionCounter().count()).isEqualTo(2.0);
            assertThat(entities(graph)).as("the pattern extractor's capitalised spans").contains("John Tolkien", "Clive Lewis", "Inklings")
                    .doesNotContain("The Hobbit");
            assertThat(keel.requests().orElseThrow().usage(new UsageQuery(List.of("route"), null, null, null)))
                    .filteredOn(r -> LlmEntityExtractor.ROUTE.equals(r.group().get("route")))
                    .singleElement().satisfies(r -> assertThat(r.requests()).as("the calls cost all the same").isEqualTo(2));

            upstream.responder(GraphLlmExtractionTest::answer);
            graph.rebuild(keel.indexes().collection("default", false));
            assertThat(upstream.requests("/chat/completions")).as("nothing was cached: the chunks are asked again").hasSize(4);
            assertThat(entities(graph)).contains("The Hobbit");
        }
    }

    @Test
    void aFailedCallFallsBackToo() throws Exception {
        Path docs = documents();
        try (FakeOpenAiServer upstream = new FakeOpenAiServer().responder(r -> Reply.status(500));
             Keel keel = Keel.open(config(upstream, "data-down"))) {
            IngestReport report = keel.ingest(List.of(docs), null, ProgressListener.NONE);
            assertThat(report.failed()).isEmpty();
            assertThat(stats(keel.graph().orElseThrow()).fallbacks()).isEqualTo(3);
            assertThat(entities(keel.graph().orElseThrow())).contains("John Tolkien", "Clive Lewis");
            assertThat(keel.requests().orElseThrow().usage(new UsageQuery(List.of("route", "status"), null, null, null)))
                    .filteredOn(r -> LlmEntityExtractor.ROUTE.equals(r.group().get("route")))
                    .singleElement().satisfies(r -> assertThat(r.errors()).isEqualTo(2));
        }
    }

    @Test
    void llmWithoutItsChatModelStopsStartup() {
        Map<String, Object> noModel = Map.of("data_dir", dir.resolve("d1").toString(), "graph", Map.of("enabled", true, "extractor", "llm"));
        assertThatThrownBy(() -> KeelConfig.fromTree(noModel, Map.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("'graph.llm.model' is required");
        try (FakeOpenAiServer upstream = new FakeOpenAiServer()) {
            Map<String, Object> unknown = Map.of("data_dir", dir.resolve("d2").toString(), "models", List.of(upstream.modelEntry("chat")),
                    "graph", Map.of("enabled", true, "extractor", "llm", "llm", Map.of("model", "extractor")));
            assertThatThrownBy(() -> Keel.open(KeelConfig.fromTree(unknown, Map.of())))
                    .isInstanceOf(KeelException.class)
                    .hasMessageContaining("graph.llm.model names 'extractor', which is not a configured chat model (configured: chat)");
        }
    }
}
