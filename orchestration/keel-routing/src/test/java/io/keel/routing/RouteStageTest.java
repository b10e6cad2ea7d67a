package io.keel.routing;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.guard.Guard;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.pipeline.chat.ChatRoute;
import io.keel.core.spi.RequestRecord;
import io.keel.experiments.ExperimentFiles;
import io.keel.experiments.ExperimentResolver;
import io.keel.experiments.ExperimentSet;
import io.keel.metrics.KeelMetrics;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordingStreamListener;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The route stage in the chat pipeline against two fake OpenAI-compatible servers: "small" (cheap) and "large"
 * (strong). Every model call goes through the real gateway and the OpenAI wire protocol.
 */
class RouteStageTest {
    static FakeOpenAiServer cheap;
    static FakeOpenAiServer strong;
    static ModelGateway gateway;

    @TempDir
    Path dir;
    final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    KeelMetrics metrics;

    @BeforeAll
    static void servers() {
        cheap = new FakeOpenAiServer();
        strong = new FakeOpenAiServer();
        gateway = ModelGateway.fromConfig(List.of(model("small", cheap, 0.1, 0.4), model("large", strong, 5.0, 15.0)),
                k -> null, ModelCallListener.NONE);
    }

    static Map<String, Object> model(String name, FakeOpenAiServer server, double in, double out) {
        return Map.of("name", name, "provider", "openai", "model", "gpt-4o-mini", "endpoints", List.of(server.baseUri() + "/v1"),
                "retry", Map.of("max_attempts", 1), "price", Map.of("input_per_1m", in, "output_per_1m", out));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        cheap.close();
        strong.close();
    }

    @BeforeEach
    void fresh() {
        cheap.reset();
        strong.reset();
        metrics = new KeelMetrics();
    }

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    RoutingTable table(String name, String yaml) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return RoutingFiles.load(f, null);
    }

    Pipeline<ChatExchange, ChatResult> pipeline(Routing routing, VariantResolver variants, Map<RouteTarget.Kind, TargetHandler> handlers) {
        return ChatRoute.pipeline(gateway, gateway::versionOf, Guard.ALLOW_ALL, SpendControl.NONE,
                r -> {
                    records.add(r);
                    metrics.record(r);
                }, variants, new RouteStage(routing, null, handlers), StageObserver.NONE);
    }

    static ChatExchange ask(String model, String question, boolean stream, Caller caller) {
        return ChatExchange.start("req-" + System.nanoTime(), "/v1/chat/completions", caller,
                ChatRequest.of(model, List.of(ChatMessage.user(question))), stream);
    }

    static final String CASCADE = """
            default: large
            rules:
              - name: cascade
                cascade: {cheap: small, strong: large, signal: refusal, threshold: 0.5}
            """;

    @Test
    void aCascadeEscalatesWhenTheCheapModelRefuses() throws IOException {
        Pipeline<ChatExchange, ChatResult> p = pipeline(Routing.of(table("tiered", CASCADE)), VariantResolver.NONE, Map.of());
        cheap.enqueue(Reply.text("I'm sorry, but I can't help with that request.").withUsage(100, 10));
        strong.enqueue(Reply.text("The notice period is 30 days.").withUsage(100, 20));

        ChatResult r = p.run(ask("auto", "What is the notice period?", false, Caller.ANONYMOUS));

        assertThat(r.response().content()).isEqualTo("The notice period is 30 days.");
        assertThat(cheap.requests("/chat/completions")).hasSize(1);
        assertThat(strong.requests("/chat/completions")).hasSize(1);
        Lineage l = r.lineage();
        assertThat(l.generator()).isEqualTo("large");
        assertThat(l.route()).isEqualTo("tiered/cascade");
        assertThat(l.routeReason()).isEqualTo("always: the rule has no conditions; cascade: refusal 0.00 < 0.50, escalated to large");
        // both calls are paid for: the request's usage is their sum
        assertThat(r.usage().promptTokens()).isEqualTo(200);
        assertThat(r.usage().completionTokens()).isEqualTo(30);
        double expected = (100 * 0.1 + 10 * 0.4 + 100 * 5.0 + 20 * 15.0) / 1e6;
        assertThat(r.usage().costUsd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        // the request log and the metrics carry the route and the reason
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().lineage().route()).isEqualTo("tiered/cascade");
        assertThat(records.getFirst().lineage().routeReason()).contains("escalated to large");
        assertThat(records.getFirst().timings().nanos()).containsKey(RouteStage.TIMING_KEY);
        assertThat(metrics.scrape()).contains("keel_route_decisions_total{kind=\"always\",model=\"large\",rule=\"tiered/cascade\"} 1.0");
    }

    @Test
    void aCascadeKeepsAConfidentCheapAnswer() throws IOException {
        Pipeline<ChatExchange, ChatResult> p = pipeline(Routing.of(table("tiered", CASCADE)), VariantResolver.NONE, Map.of());
        cheap.enqueue(Reply.text("Paris is the capital of France.").withUsage(50, 8));

        ChatResult r = p.run(ask("auto", "Capital of France?", false, Caller.ANONYMOUS));

        assertThat(r.response().content()).isEqualTo("Paris is the capital of France.");
        assertThat(strong.requests("/chat/completions")).isEmpty();
        assertThat(r.lineage().generator()).isEqualTo("small");
        assertThat(r.lineage().routeReason()).endsWith("cascade: refusal 1.00 >= 0.50, kept small");
        assertThat(r.usage().promptTokens()).isEqualTo(50);
        assertThat(metrics.scrape()).contains("keel_route_decisions_total{kind=\"always\",model=\"small\",rule=\"tiered/cascade\"} 1.0");
    }

    @Test
    void aVerifierPromptGradesTheCheapAnswer() throws IOException {
        Routing routing = Routing.of(table("verified", """
                default: large
                rules:
                  - name: verified
                    cascade:
                      cheap: small
                      strong: large
                      signal: verifier
                      threshold: 0.7
                      verifier: {model: small}
                """));
        Pipeline<ChatExchange, ChatResult> p = pipeline(routing, VariantResolver.NONE, Map.of());
        // a poor grade escalates; the verifier call is a third paid call
        cheap.enqueue(Reply.text("Maybe 12?").withUsage(40, 3), Reply.text("3").withUsage(60, 1));
        strong.enqueue(Reply.text("It is 42.").withUsage(40, 4));
        ChatResult r = p.run(ask("auto", "What is six times seven?", false, Caller.ANONYMOUS));
        assertThat(r.response().content()).isEqualTo("It is 42.");
        assertThat(r.lineage().routeReason()).endsWith("cascade: verifier 0.30 < 0.70, escalated to large");
        assertThat(r.usage().promptTokens()).isEqualTo(140);
        String graded = cheap.requests("/chat/completions").get(1).body();
        assertThat(graded).contains("What is six times seven?").contains("Maybe 12?");

        // a good grade keeps the cheap answer
        cheap.enqueue(Reply.text("It is 42.").withUsage(40, 4), Reply.text("9").withUsage(60, 1));
        r = p.run(ask("auto", "What is six times seven?", false, Caller.ANONYMOUS));
        assertThat(r.lineage().generator()).isEqualTo("small");
        assertThat(r.lineage().routeReason()).endsWith("cascade: verifier 0.90 >= 0.70, kept small");
        assertThat(strong.requests("/chat/completions")).hasSize(1);
    }

    @Test
    void aStreamedRequestCascadesToo() throws IOException {
        Pipeline<ChatExchange, ChatResult> p = pipeline(Routing.of(table("tiered", CASCADE)), VariantResolver.NONE, Map.of());
        cheap.enqueue(Reply.text("I cannot answer that.").withUsage(10, 5));
        strong.enqueue(Reply.text("Streaming from the strong model.").withUsage(10, 6));

        ChatResult r = p.run(ask("auto", "Explain it", true, Caller.ANONYMOUS));
        assertThat(r.stream()).isNotNull();
        RecordingStreamListener listener = new RecordingStreamListener();
        r.stream().start(listener);
        assertThat(String.join("", listener.tokens)).isEqualTo("Streaming from the strong model.");
        assertThat(listener.completed.usage().completionTokens()).isEqualTo(11);
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().lineage().generator()).isEqualTo("large");
        assertThat(records.getFirst().lineage().routeReason()).contains("escalated to large");
        assertThat(records.getFirst().answer()).isEqualTo("Streaming from the strong model.");

        // kept: the judged cheap answer is delivered as one piece
        cheap.enqueue(Reply.text("Short answer.").withUsage(10, 2));
        r = p.run(ask("auto", "Explain it", true, Caller.ANONYMOUS));
        listener = new RecordingStreamListener();
        r.stream().start(listener);
        assertThat(listener.tokens).containsExactly("Short answer.");
        assertThat(records.get(1).lineage().generator()).isEqualTo("small");
        assertThat(strong.requests("/chat/completions")).hasSize(1);
    }

    @Test
    void aRequestNamingAConfiguredModelIsNotRouted() throws IOException {
        Pipeline<ChatExchange, ChatResult> p = pipeline(Routing.of(table("tiered", CASCADE)), VariantResolver.NONE, Map.of());
        strong.enqueue(Reply.text("direct"));
        ChatResult r = p.run(ask("large", "hi", false, Caller.ANONYMOUS));
        assertThat(r.response().content()).isEqualTo("direct");
        assertThat(r.lineage().route()).isNull();
        assertThat(cheap.requests("/chat/completions")).isEmpty();
        assertThat(metrics.scrape()).doesNotContain("keel_route_decisions_total{");
    }

    @Test
    void tenantRulesRouteByTheCredential() throws IOException {
        Pipeline<ChatExchange, ChatResult> p = pipeline(Routing.of(table("tenants", """
                default: small
                rules:
                  - {name: acme, when: {tenants: [acme]}, to: large}
                """)), VariantResolver.NONE, Map.of());
        strong.enqueue(Reply.text("for acme"));
        cheap.enqueue(Reply.text("for the header"));
        ChatResult acme = p.run(ask("auto", "hi", false, RoutingTableTest.caller("acme", "keel_live_acme")));
        assertThat(acme.response().content()).isEqualTo("for acme");
        assertThat(acme.lineage().routeReason()).isEqualTo("tenant: tenant=acme");
        ChatResult header = p.run(ask("auto", "hi", false, new Caller("acme", null, null, null)));
        assertThat(header.response().content()).isEqualTo("for the header");
        assertThat(header.lineage().route()).isEqualTo("tenants/default");
    }

    @Test
    void agentAndRagTargetsGoToTheirHandlers() throws IOException {
        Routing routing = Routing.of(table("targets", """
                default: small
                rules:
                  - {name: premium, when: {cost_tiers: [premium]}, to: "agent:concierge"}
                """));
        ChatRequest chat = new ChatRequest("auto", List.of(ChatMessage.user("book a table")), null, null, null, null, null, null,
                Map.of("metadata", Map.of("cost_tier", "premium")));
        ChatExchange request = new ChatExchange("req-a", "/v1/chat/completions", null, Caller.ANONYMOUS,
                new io.keel.core.answer.Timings.Recorder(), new io.keel.core.pipeline.Trail(), chat, false);
        assertThatThrownBy(() -> pipeline(routing, VariantResolver.NONE, Map.of()).run(request))
                .isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_CAPABILITY))
                .hasMessageContaining("agent:concierge");
        List<String> served = new CopyOnWriteArrayList<>();
        TargetHandler agents = (req, target) -> {
            served.add(req.chat().model() + " " + target.name());
            return ChatResult.of(req.id(), new io.keel.core.chat.ChatResponse(req.id(), req.chat().model(), "booked", List.of(), "stop",
                    io.keel.core.answer.Usage.ZERO), Lineage.EMPTY.withGenerator(req.chat().model(), null, null, "none"));
        };
        ChatExchange again = new ChatExchange("req-b", "/v1/chat/completions", null, Caller.ANONYMOUS,
                new io.keel.core.answer.Timings.Recorder(), new io.keel.core.pipeline.Trail(), chat, false);
        ChatResult r = pipeline(routing, VariantResolver.NONE, Map.of(RouteTarget.Kind.AGENT, agents)).run(again);
        assertThat(served).containsExactly("agent:concierge concierge");
        assertThat(r.lineage().route()).isEqualTo("targets/premium");
        assertThat(r.lineage().routeReason()).isEqualTo("cost_tier: cost_tier=premium");
        assertThat(cheap.requests("/chat/completions")).isEmpty();
    }

    @Test
    void anExperimentVariantSwitchesTheRoutingTable() throws IOException {
        RoutingTable everythingLarge = table("quality-first", "default: large\n");
        RoutingTable cascade = table("cheap-first", CASCADE);
        Routing routing = new Routing(everythingLarge, Map.of("cheap-first", cascade));
        ExperimentSet experiments = new ExperimentSet(List.of(ExperimentFiles.parse("""
                name: routing-ab
                unit: tenant
                variants:
                  - {name: control, weight: 50}
                  - {name: cheap-first, weight: 50, overrides: {routing: {table: cheap-first}}}
                """, "routing-ab.yaml")));
        VariantResolver variants = new ExperimentResolver(experiments);
        Pipeline<ChatExchange, ChatResult> p = pipeline(routing, variants, Map.of());
        int control = 0;
        int treated = 0;
        for (int i = 0; i < 40; i++) {
            Caller caller = new Caller("t" + i, null, null, null);
            cheap.enqueue(Reply.text("cheap answer"));
            strong.enqueue(Reply.text("strong answer"));
            ChatResult r = p.run(ask("auto", "hi", false, caller));
            cheap.reset();
            strong.reset();
            assertThat(r.lineage().experiment()).isEqualTo("routing-ab");
            if ("cheap-first".equals(r.lineage().variant())) {
                treated++;
                assertThat(r.lineage().route()).isEqualTo("cheap-first/cascade");
                assertThat(r.lineage().generator()).isEqualTo("small");
            } else {
                control++;
                assertThat(r.lineage().route()).isEqualTo("quality-first/default");
                assertThat(r.lineage().generator()).isEqualTo("large");
            }
        }
        assertThat(control).isPositive();
        assertThat(treated).isPositive();
        // a variant naming a table that is not configured fails loudly, never silently routes by the default
        Routing missing = new Routing(everythingLarge, Map.of());
        Caller someone = new Caller("t0", null, null, null);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 40; i++) pipeline(missing, variants, Map.of()).run(ask("auto", "hi", false, new Caller("t" + i, null, null, null)));
        }).isInstanceOf(KeelException.class).hasMessageContaining("cheap-first");
        assertThat(someone.tenant()).isEqualTo("t0");
    }
}
