package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Citation;
import io.keel.core.error.ModelMismatchException;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.query.Filters;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.ReindexProgress;
import io.keel.ingest.IngestReport;
import io.keel.ingest.ProgressListener;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A collection built through {@code embedding.backend: openai} (a Text-Embeddings-Inference-like fake with a batch
 * limit) answers questions with citations, and the embedded model refuses it afterwards.
 */
class RemoteEmbedderEndToEndTest {
    @Test
    void aCollectionEmbeddedRemotelyAnswersAndRefusesAnotherModel(@TempDir Path dir) throws Exception {
        Path docs = Files.createDirectories(dir.resolve("handbook"));
        Files.writeString(docs.resolve("retention.md"), """
                # Data retention

                Customer records are kept for seven years after the contract ends. Backups are deleted after ninety days.
                """);
        Files.writeString(docs.resolve("travel.md"), """
                # Travel

                Employees book flights through the travel desk. Economy class applies to flights under six hours.
                """);
        Files.writeString(docs.resolve("security.md"), """
                # Security

                Laptops use full-disk encryption. Lost devices are reported to the service desk within one hour.
                """);

        try (FakeOpenAiServer tei = new FakeOpenAiServer().embeddingDimensions(64).maxEmbeddingBatch(4)
                .embeddingModel("BAAI/bge-small-en-v1.5").embeddingNorm(4.0)) {
            Map<String, Object> tree = Map.of("data_dir", dir.resolve("data").toString(),
                    "embedding", Map.of("backend", "openai", "model", "bge-small", "endpoints", List.of(tei.baseUri() + "/v1"),
                            "max_batch_size", 16, "max_input_tokens", 256));
            String fingerprint;
            try (Keel keel = Keel.open(KeelConfig.fromTree(tree, Map.of()))) {
                fingerprint = keel.embedder().info().fingerprint();
                assertThat(fingerprint).startsWith("bge-small@");
                IngestReport report = keel.ingest(List.of(docs), null, ProgressListener.NONE);
                assertThat(report.added()).isEqualTo(3);
                assertThat(report.chunksWritten()).isGreaterThanOrEqualTo(3);

                QueryInput question = new QueryInput("How long are customer records kept after the contract ends?",
                        null, null, Filters.NONE, null);
                Retrieval retrieved = keel.retrieve(question, "/v1/retrieve", Caller.ANONYMOUS);
                assertThat(retrieved.hits()).isNotEmpty();
                assertThat(retrieved.hits()).extracting(SearchHit::source).anyMatch(s -> s.endsWith("retention.md"));
                assertThat(retrieved.index().embeddingModel()).isEqualTo(fingerprint);

                Answer answer = keel.query(question, "/v1/query");
                assertThat(answer.citations()).isNotEmpty();
                assertThat(answer.citations()).extracting(Citation::source).anyMatch(s -> s.endsWith("retention.md"));
                assertThat(answer.text()).containsIgnoringCase("seven years");
            }
            List<RecordedRequest> calls = tei.requests("/embeddings");
            assertThat(calls).as("the probe, the chunks and the queries went to the server").hasSizeGreaterThanOrEqualTo(3);
            assertThat(calls).allSatisfy(r -> assertThat(r.json().get("model")).isEqualTo("bge-small"));
        }

        // The same data directory with the embedded model: the collection is refused, with the way out named.
        try (Keel onnx = Keel.open(KeelConfig.defaults().withDataDir(dir.resolve("data")))) {
            assertThatThrownBy(() -> onnx.search(QueryInput.of("How long are customer records kept?")))
                    .isInstanceOf(ModelMismatchException.class)
                    .hasMessageContaining("bge-small@")
                    .hasMessageContaining("keel reindex --collection");
            // ... and the way out works: re-embedded with MiniLM, the collection answers again.
            String collection = onnx.config().retrieval().defaultCollection();
            assertThat(onnx.reindex(collection, ReindexProgress.NONE).embeddingModel()).isEqualTo(onnx.embedder().info().fingerprint());
            assertThat(onnx.search(QueryInput.of("How long are customer records kept?")).hits())
                    .extracting(SearchHit::source).anyMatch(s -> s.endsWith("retention.md"));
        }
    }
}
