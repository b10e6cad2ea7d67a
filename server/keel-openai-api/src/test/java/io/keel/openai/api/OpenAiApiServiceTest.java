package io.keel.openai.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.TokenCounter;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiApiServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeOpenAiServer upstream = new FakeOpenAiServer();
    private static final List<RequestRecord> log = new CopyOnWriteArrayList<>();
    private static final List<List<ChatMessage>> ragHistories = new CopyOnWriteArrayList<>();
    private static ModelGateway gateway;
    private static WebServer server;
    private static HttpClient client;
    private static String base;

    @BeforeAll
    static void start() {
        gateway = ModelGateway.fromConfig(List.of(Map.of("name", "llama", "provider", "openai",
                "model", "meta-llama/Llama-3.1-8B-Instruct", "endpoints", List.of(upstream.baseUri() + "/v1"),
                "timeout", "3s", "retry", Map.of("max_attempts", 2, "backoff", "5ms"),
                "breaker", Map.of("failures", 1000),
                "price", Map.of("input_per_1m", 1.0, "output_per_1m", 2.0)),
                Map.of("name", "e5", "kind", "embedding", "provider", "openai", "model", "intfloat/e5-small",
                        "endpoints", List.of(upstream.baseUri() + "/v1"))), k -> null, ModelCallListener.NONE);
        OpenAiApiService service = OpenAiApiService.builder().gateway(gateway).embedder(new TinyEmbedder())
                .rag(new TestRag()).requestLog(log::add).build();
        server = WebServer.builder().port(0).connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.register(service)).build().start();
        base = "http://localhost:" + server.port();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.stop();
        gateway.close();
        upstream.close();
        client.close();
    }

    @BeforeEach
    void clean() {
        upstream.reset();
        log.clear();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> events(String sse) {
        List<String> out = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            if (block.startsWith("data: ")) out.add(block.substring(6));
        }
        return out;
    }

    @Test
    void chatCompletionRoundTripsInTheOpenAiWireFormat() throws Exception {
        upstream.enqueue(Reply.text("Hello from Keel").withUsage(12, 3));
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":20,\"seed\":7}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("id").asText()).startsWith("chatcmpl-");
        assertThat(body.path("model").asText()).isEqualTo("llama");
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello from Keel");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(15);
        assertThat(upstream.requests().getFirst().json()).containsEntry("model", "meta-llama/Llama-3.1-8B-Instruct")
                .containsEntry("max_tokens", 20).containsEntry("seed", 7);
        assertThat(logged(1)).singleElement().satisfies(rec -> {
            assertThat(rec.status()).isEqualTo("ok");
            assertThat(rec.route()).isEqualTo("/v1/chat/completions");
            assertThat(rec.lineage().generator()).isEqualTo("llama");
            assertThat(rec.timings().nanosOf("total")).isPositive();
            assertThat(rec.usage().costUsd()).isEqualTo((12 * 1.0 + 3 * 2.0) / 1e6);
        });
    }

    @Test
    void streamEndsWithUsageChunkAndDone() throws Exception {
        upstream.enqueue(Reply.text("one two three").withUsage(9, 3));
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"llama\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> events = events(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(e);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            text.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        assertThat(text).hasToString("one two three");
        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(9);
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(events.get(events.size() - 3)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(logged(1)).singleElement().satisfies(rec -> assertThat(rec.usage().costUsd()).isPositive());
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.body()).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void toolCallsPassThrough() throws Exception {
        upstream.enqueue(Reply.toolCall("call_9", "lookup", "{\"q\":\"keel\"}"), Reply.toolCall("call_10", "lookup", "{\"q\":\"x\"}"));
        String req = "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"find keel\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}}}]";
        JsonNode body = JSON.readTree(post("/v1/chat/completions", req + "}").body());
        assertThat(body.at("/choices/0/message/tool_calls/0/function/arguments").asText()).isEqualTo("{\"q\":\"keel\"}");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(upstream.requests().getFirst().json()).containsKey("tools");

        List<String> events = events(post("/v1/chat/completions", req + ",\"stream\":true}").body());
        StringBuilder args = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            args.append(JSON.readTree(e).at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
        }
        assertThat(args).hasToString("{\"q\":\"x\"}");
        assertThat(String.join("\n", events)).contains("\"id\":\"call_10\"", "\"finish_reason\":\"tool_calls\"");
    }

    @Test
    void streamBrokenMidwayEndsWithAnErrorEventAndIsLoggedFailedWithPartialUsage() throws Exception {
        upstream.enqueue(Reply.text("partial answer that breaks").withResetAfterChunks(2));
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"llama\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        List<String> events = events(r.body());
        assertThat(events).doesNotContain("[DONE]");
        assertThat(r.body()).contains("\"content\":\"partial\"", "\"content\":\" answer\"");
        JsonNode last = JSON.readTree(events.getLast());
        assertThat(last.at("/error/type").asText()).isEqualTo("server_error");
        assertThat(logged(1)).singleElement().satisfies(rec -> {
            assertThat(rec.status()).isNotEqualTo("ok");
            assertThat(rec.usage().completionTokens()).isPositive();
            assertThat(rec.usage().estimated()).isTrue();
            assertThat(rec.usage().costUsd()).isPositive();
        });
    }

    @Test
    void failureBeforeTheFirstTokenIsAPlainHttpError() throws Exception {
        upstream.enqueue(Reply.status(503), Reply.status(503));
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("server_error");
    }

    @Test
    void badInputIsA4xxInOpenAiErrorShape() throws Exception {
        HttpResponse<String> malformed = post("/v1/chat/completions", "{\"model\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).at("/error/message").asText()).contains("not valid JSON");

        HttpResponse<String> noMessages = post("/v1/chat/completions", "{\"model\":\"llama\"}");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(noMessages.body()).contains("messages").doesNotContain("Exception", "\tat ");

        HttpResponse<String> badRole = post("/v1/chat/completions", "{\"model\":\"llama\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badRole.body()).at("/error/message").asText()).startsWith("messages[0]: unknown role 'wizard'");

        HttpResponse<String> unknown = post("/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("model_not_found");

        HttpResponse<String> twoChoices = post("/v1/chat/completions", "{\"model\":\"llama\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(twoChoices.statusCode()).isEqualTo(422);
        assertThat(upstream.requests()).isEmpty();

        upstream.enqueue(Reply.status(400, "maximum context length exceeded"));
        HttpResponse<String> upstreamBad = post("/v1/chat/completions", "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(upstreamBad.statusCode()).isEqualTo(400);
        assertThat(upstreamBad.body()).contains("maximum context length exceeded");
    }

    @Test
    void ragModelAnswersWithCitations() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"rag:default\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"earlier\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":\"How do I ingest?\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Run keel ingest [1].");
        assertThat(body.at("/citations/0/chunk_id").asText()).isEqualTo("c1");
        assertThat(body.at("/citations/0/source").asText()).isEqualTo("docs/ingestion.md");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(100);
        assertThat(ragHistories.getLast()).hasSize(2);

        List<String> events = events(post("/v1/chat/completions", "{\"model\":\"rag:default\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"How?\"}]}").body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(String.join("\n", events)).contains("\"citations\":[{", "\"content\":\"Run keel ingest [1].\"",
                "\"prompt_tokens\":100");

        HttpResponse<String> missing = post("/v1/chat/completions", "{\"model\":\"rag:nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void embeddingsInFloatAndBase64() throws Exception {
        JsonNode f = JSON.readTree(post("/v1/embeddings", "{\"model\":\"all-minilm-l6-v2\",\"input\":[\"a\",\"bb\"]}").body());
        assertThat(f.path("object").asText()).isEqualTo("list");
        assertThat(f.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(f.at("/data/1/embedding").size()).isEqualTo(4);
        assertThat(f.at("/usage/prompt_tokens").asInt()).isEqualTo(3);

        JsonNode b = JSON.readTree(post("/v1/embeddings",
                "{\"model\":\"all-minilm-l6-v2\",\"input\":\"bb\",\"encoding_format\":\"base64\"}").body());
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b.at("/data/0/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[4];
        for (int i = 0; i < 4; i++) decoded[i] = buf.getFloat();
        assertThat(decoded).containsExactly(TinyEmbedder.vector("bb"));

        HttpResponse<String> unknown = post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText())
                .isEqualTo("The model 'text-embedding-3-small' does not exist for embeddings; use 'all-minilm-l6-v2' or 'e5'");

        JsonNode remote = JSON.readTree(post("/v1/embeddings", "{\"model\":\"e5\",\"input\":[\"x y\"]}").body());
        assertThat(remote.at("/data/0/embedding").size()).isEqualTo(8);
        assertThat(remote.at("/usage/prompt_tokens").asInt()).isEqualTo(2);
        assertThat(upstream.requests("/embeddings").getFirst().json()).containsEntry("model", "intfloat/e5-small");
        assertThat(post("/v1/embeddings", "{\"model\":\"all-minilm-l6-v2\",\"input\":[1,2]}").statusCode()).isEqualTo(400);
    }

    @Test
    void modelsListsChatRagAndEmbeddingModels() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).containsExactly("llama", "e5", "rag:default", "all-minilm-l6-v2");
    }

    static final class TestRag implements RagModels {
        @Override
        public List<String> pipelines() {
            return List.of("default");
        }

        @Override
        public Optional<Answer> answer(String pipeline, String question, List<ChatMessage> history, Caller caller) {
            if (!pipeline.equals("default")) return Optional.empty();
            ragHistories.add(history);
            return Optional.of(new Answer("q1", "Run keel ingest [1].", "gpt",
                    List.of(new Citation("d1", "c1", 0.8f, "keel ingest DIR", "docs/ingestion.md")),
                    new Usage(100, 6, 0.0001, false), null, null));
        }
    }

    static final class TinyEmbedder implements Embedder {
        static float[] vector(String text) {
            return new float[] {text.length(), 1, 0, 0.5f};
        }

        @Override
        public EmbeddingModelInfo info() {
            return new EmbeddingModelInfo("all-minilm-l6-v2", "abc123", 4, 256);
        }

        @Override
        public float[] embedQuery(String text) {
            return vector(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return texts.stream().map(TinyEmbedder::vector).toList();
        }

        @Override
        public TokenCounter tokenCounter() {
            return new TokenCounter() {
                @Override
                public int countTokens(String text) {
                    return text.length();
                }

                @Override
                public int maxTokens() {
                    return 256;
                }
            };
        }

        @Override
        public void close() {
        }
    }

    /** The record is written once the response is on its way, so the client may see the response first. */
    private static List<RequestRecord> logged(int expected) throws InterruptedException {
        for (int i = 0; i < 200 && log.size() < expected; i++) Thread.sleep(10);
        return log;
    }
}
