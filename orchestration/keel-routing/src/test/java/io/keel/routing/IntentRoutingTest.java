package io.keel.routing;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.TokenCounter;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.routing.intent.IntentClassifier;
import io.keel.routing.intent.IntentExamples;
import io.keel.routing.intent.IntentPrediction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The intent classifier on the real MiniLM embedder: known utterances it never saw go to their intent. */
class IntentRoutingTest {
    static Embedder minilm;

    static final List<IntentExamples.Example> EXAMPLES = List.of(
            new IntentExamples.Example("I was charged twice for the same purchase", "billing"),
            new IntentExamples.Example("Why is there an extra fee on my invoice?", "billing"),
            new IntentExamples.Example("I want a refund for last month's payment", "billing"),
            new IntentExamples.Example("My credit card payment was declined", "billing"),
            new IntentExamples.Example("How do I update my billing address on the invoice?", "billing"),
            new IntentExamples.Example("The app crashes when I open it", "technical"),
            new IntentExamples.Example("I get an error 500 when I log in", "technical"),
            new IntentExamples.Example("The page does not load in my browser", "technical"),
            new IntentExamples.Example("Sync stopped working after the update", "technical"),
            new IntentExamples.Example("How do I reset my password, the link is broken?", "technical"),
            new IntentExamples.Example("Write me a poem about the sea", "creative"),
            new IntentExamples.Example("Tell me a funny story about a cat", "creative"),
            new IntentExamples.Example("Compose song lyrics about summer", "creative"),
            new IntentExamples.Example("Invent a fairy tale for my kids", "creative"),
            new IntentExamples.Example("Write a short haiku about autumn leaves", "creative"));

    static final List<String[]> HELD_OUT = List.of(
            new String[]{"Please give me my money back, you billed me two times", "billing"},
            new String[]{"There is a charge on my statement I don't recognise", "billing"},
            new String[]{"The application freezes on startup", "technical"},
            new String[]{"I keep getting a server error when signing in", "technical"},
            new String[]{"Can you write a limerick about a dog?", "creative"},
            new String[]{"Make up a bedtime story about dragons", "creative"});

    @BeforeAll
    static void load() {
        minilm = OnnxEmbedder.createDefault();
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    @Test
    void bothMethodsClassifyUnseenUtterancesOfKnownIntents() {
        List<IntentClassifier.LabeledVector> training = IntentExamples.embed(EXAMPLES, minilm);
        for (IntentClassifier.Method m : IntentClassifier.Method.values()) {
            IntentClassifier c = IntentClassifier.train(m, training, IntentClassifier.Options.DEFAULTS);
            assertThat(c.labels()).containsExactly("billing", "technical", "creative");
            for (String[] q : HELD_OUT) {
                IntentPrediction p = c.classify(minilm.embedQuery(q[0]));
                assertThat(p.intent()).as(m + ": " + q[0]).isEqualTo(q[1]);
                assertThat(p.confidence()).as(m + ": " + q[0]).isBetween(0.34, 1.0);
            }
        }
    }

    @Test
    void trainingIsReproducible() {
        List<IntentClassifier.LabeledVector> training = IntentExamples.embed(EXAMPLES, minilm);
        float[] v = minilm.embedQuery(HELD_OUT.getFirst()[0]);
        IntentPrediction a = IntentClassifier.train(IntentClassifier.Method.LOGISTIC, training, IntentClassifier.Options.DEFAULTS).classify(v);
        IntentPrediction b = IntentClassifier.train(IntentClassifier.Method.LOGISTIC, training, IntentClassifier.Options.DEFAULTS).classify(v);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void intentRulesOfARoutingFileRouteByMeaningAndAskOnlyWhenReached(@TempDir Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                default: gpt-large
                intents:
                  method: knn
                  k: 3
                  examples:
                """);
        for (String label : List.of("billing", "technical", "creative")) {
            yaml.append("    ").append(label).append(":\n");
            for (IntentExamples.Example e : EXAMPLES) {
                if (e.label().equals(label)) yaml.append("      - \"").append(e.text()).append("\"\n");
            }
        }
        yaml.append("""
                rules:
                  - {name: acme, when: {tenants: [acme]}, to: gpt-acme}
                  - {name: billing, when: {intents: [billing], min_confidence: 0.5}, to: agent:billing}
                  - {name: creative, when: {intents: [creative]}, to: gpt-creative}
                """);
        Path f = dir.resolve("support.yaml");
        Files.writeString(f, yaml);
        CountingEmbedder counting = new CountingEmbedder(minilm);
        RoutingTable t = RoutingFiles.load(f, counting);
        assertThat(t.name()).isEqualTo("support");
        assertThat(t.usesIntents()).isTrue();

        RouteFacts billing = facts(t, "You billed me two times, I want my money back", "globex");
        RouteDecision d = t.decide(billing);
        assertThat(d.rule()).isEqualTo("billing");
        assertThat(d.target().modelName()).isEqualTo("agent:billing");
        assertThat(d.reason()).startsWith("intent: intent=billing (");

        assertThat(t.decide(facts(t, "Write a sonnet about rain", "globex")).target().name()).isEqualTo("gpt-creative");
        assertThat(t.decide(facts(t, "The app shows a blank screen", "globex")).rule()).isEqualTo("default");

        // a tenant rule ahead of the intent rules decides without classifying
        RouteFacts acme = facts(t, "Write a sonnet about rain", "acme");
        assertThat(t.decide(acme).rule()).isEqualTo("acme");
        assertThat(acme.intentComputed()).isFalse();
        assertThat(billing.intentComputed()).isTrue();
    }

    @Test
    void theRouteStageEmbedsTheQuestionOncePerRequestAndSharesIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("intents.yaml");
        Path csv = dir.resolve("examples.csv");
        StringBuilder rows = new StringBuilder("text,category\n");
        for (IntentExamples.Example e : EXAMPLES) rows.append('"').append(e.text().replace("\"", "\"\"")).append("\",").append(e.label()).append('\n');
        Files.writeString(csv, rows);
        Files.writeString(f, """
                models: ["*"]
                default: agent:fallback
                intents: {examples_csv: examples.csv}
                rules:
                  - {name: sure-billing, when: {intents: [billing], min_confidence: 0.999999}, to: agent:billing-strict}
                  - {name: billing, when: {intents: [billing]}, to: agent:billing}
                  - {name: creative, when: {intents: [creative]}, to: agent:poet}
                """);
        CountingEmbedder counting = new CountingEmbedder(minilm);
        RoutingTable table = RoutingFiles.load(f, counting);
        assertThat(table.intents().labels()).containsExactlyInAnyOrder("billing", "technical", "creative");
        List<String> served = new ArrayList<>();
        io.keel.routing.TargetHandler agents = (req, target) -> {
            served.add(target.name());
            return io.keel.core.pipeline.chat.ChatResult.of(req.id(), new io.keel.core.chat.ChatResponse(req.id(), req.chat().model(),
                    "ok", List.of(), "stop", io.keel.core.answer.Usage.ZERO), io.keel.core.answer.Lineage.EMPTY);
        };
        var pipeline = new io.keel.core.pipeline.Pipeline<>(List.of(
                new RouteStage(Routing.of(table), counting, java.util.Map.of(RouteTarget.Kind.AGENT, agents))));
        String question = "Compose a poem about the mountains";
        var request = io.keel.core.pipeline.chat.ChatExchange.start("r1", "/v1/chat/completions", io.keel.core.answer.Caller.ANONYMOUS,
                io.keel.core.chat.ChatRequest.of("gpt-anything", List.of(io.keel.core.chat.ChatMessage.user(question))), false);
        var result = pipeline.run(request);
        assertThat(served).containsExactly("poet");
        assertThat(result.lineage().route()).isEqualTo("intents/creative");
        // three intent rules were evaluated; the question was embedded once, and the vector is on the trail
        assertThat(counting.queries.get()).isEqualTo(1);
        assertThat(request.trail().embedding(question)).isNotNull();
    }

    private static RouteFacts facts(RoutingTable t, String text, String tenant) {
        return new RouteFacts(RoutingTableTest.caller(tenant, "keel_live_" + tenant), 20, null,
                () -> t.intents().classify(minilm.embedQuery(text)));
    }

    /** The embedder with a count of query embeddings, to check they happen once per request. */
    static final class CountingEmbedder implements Embedder {
        final Embedder inner;
        final AtomicInteger queries = new AtomicInteger();

        CountingEmbedder(Embedder inner) {
            this.inner = inner;
        }

        @Override
        public EmbeddingModelInfo info() {
            return inner.info();
        }

        @Override
        public float[] embedQuery(String text) {
            queries.incrementAndGet();
            return inner.embedQuery(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return new ArrayList<>(inner.embedAll(texts));
        }

        @Override
        public TokenCounter tokenCounter() {
            return inner.tokenCounter();
        }

        @Override
        public void close() {
        }
    }
}
