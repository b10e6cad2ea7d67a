package io.keel.bench.routing;

import io.keel.core.answer.Caller;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.guard.Guard;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.pipeline.chat.ChatRoute;
import io.keel.core.spi.RequestLog;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.routing.RouteStage;
import io.keel.routing.Routing;
import io.keel.routing.RoutingFiles;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The cost and answer quality of a cascade between two fake models of known quality and price, through the real route
 * stage, gateway and pricing, over the OpenAI wire protocol.
 *
 * <p>Each simulated question has a difficulty {@code d ~ U(0, 1)}. The cheap model ("small", $0.15 in / $0.60 out
 * per million tokens, gpt-4o-mini's list price) answers correctly when {@code d < 0.55}; the strong one ("large",
 * $2.50 / $10.00, gpt-4o's) when {@code d < 0.92}. A wrong cheap answer is a refusal 60% of the time, a right one 5%
 * (the refusal signal). The verifier (the cheap model grading its own answer, 0-10) sees a noisy grade: 7.5 for a
 * right answer, 3.5 for a wrong one, plus Gaussian noise of 1.5. Every call is 500 prompt and 200 completion tokens;
 * a grade is 700 prompt tokens and 1 completion token. Quality is the share of questions whose final answer is right.
 *
 * <pre>
 * java -cp ... io.keel.bench.routing.CascadeSimulation [questions]
 * </pre>
 */
public final class CascadeSimulation {
    static final double CHEAP_SKILL = 0.55;
    static final double STRONG_SKILL = 0.92;

    private CascadeSimulation() {
    }

    record Question(String text, boolean cheapRight, boolean strongRight, boolean cheapRefuses, int grade) {
    }

    record Point(String scenario, double quality, double costPer1k, double escalated) {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Question> questions = questions(n, new Random(20261206));
        Path dir = Files.createTempDirectory("keel-cascade");
        try (FakeOpenAiServer cheap = new FakeOpenAiServer().recording(true); FakeOpenAiServer strong = new FakeOpenAiServer().recording(true);
             ModelGateway gateway = ModelGateway.fromConfig(List.of(
                     model("small", cheap, 0.15, 0.60), model("large", strong, 2.50, 10.00)), k -> null, ModelCallListener.NONE)) {
            List<Point> points = new ArrayList<>();
            points.add(run("cheap model only", table(dir, "cheap-only", "default: small\n"), questions, gateway, cheap, strong, false));
            points.add(run("strong model only", table(dir, "strong-only", "default: large\n"), questions, gateway, cheap, strong, false));
            points.add(run("cascade, refusal signal", table(dir, "refusal", cascade("refusal", 0.5)), questions, gateway, cheap, strong, false));
            for (double t = 0.1; t < 0.95; t += 0.1) {
                String th = String.format(Locale.ROOT, "%.1f", t);
                points.add(run("cascade, verifier >= " + th, table(dir, "verifier-" + th, cascade("verifier", Double.parseDouble(th))),
                        questions, gateway, cheap, strong, true));
            }
            Point strongOnly = points.get(1);
            System.out.printf(Locale.ROOT, "%d questions; cheap model right on %.1f%%, strong on %.1f%%%n%n", n,
                    100.0 * questions.stream().filter(Question::cheapRight).count() / n,
                    100.0 * questions.stream().filter(Question::strongRight).count() / n);
            System.out.println("| scenario | answer quality | of strong's quality | cost per 1,000 requests | of strong's cost | escalated |");
            System.out.println("|---|---|---|---|---|---|");
            for (Point p : points) {
                System.out.printf(Locale.ROOT, "| %s | %.1f%% | %.0f%% | $%.3f | %.0f%% | %.0f%% |%n", p.scenario(), 100 * p.quality(),
                        100 * p.quality() / strongOnly.quality(), p.costPer1k(), 100 * p.costPer1k() / strongOnly.costPer1k(),
                        100 * p.escalated());
            }
        }
    }

    static List<Question> questions(int n, Random random) {
        List<Question> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double d = random.nextDouble();
            boolean cheapRight = d < CHEAP_SKILL;
            boolean refuses = random.nextDouble() < (cheapRight ? 0.05 : 0.60);
            double g = (cheapRight ? 7.5 : 3.5) + 1.5 * random.nextGaussian();
            int grade = (int) Math.round(Math.max(0, Math.min(10, g)));
            out.add(new Question("question " + i, cheapRight, d < STRONG_SKILL, refuses, grade));
        }
        return out;
    }

    static String cascade(String signal, double threshold) {
        return String.format(Locale.ROOT, """
                default: large
                rules:
                  - name: cascade
                    cascade: {cheap: small, strong: large, signal: %s, threshold: %.2f}
                """, signal, threshold);
    }

    static Routing table(Path dir, String name, String yaml) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return Routing.of(RoutingFiles.load(f, null));
    }

    static Map<String, Object> model(String name, FakeOpenAiServer server, double in, double out) {
        return Map.of("name", name, "provider", "openai", "model", "gpt-4o-mini", "endpoints", List.of(server.baseUri() + "/v1"),
                "retry", Map.of("max_attempts", 1), "price", Map.of("input_per_1m", in, "output_per_1m", out));
    }

    static Point run(String scenario, Routing routing, List<Question> questions, ModelGateway gateway,
                     FakeOpenAiServer cheap, FakeOpenAiServer strong, boolean verifier) {
        Pipeline<ChatExchange, ChatResult> pipeline = ChatRoute.pipeline(gateway, gateway::versionOf, Guard.ALLOW_ALL,
                SpendControl.NONE, RequestLog.NONE, VariantResolver.NONE, new RouteStage(routing, null, Map.of()), StageObserver.NONE);
        int right = 0;
        int escalated = 0;
        double cost = 0;
        for (Question q : questions) {
            cheap.reset();
            strong.reset();
            String cheapText = q.cheapRefuses() ? "I'm sorry, but I can't answer that." : q.cheapRight() ? "RIGHT" : "WRONG";
            cheap.enqueue(Reply.text(cheapText).withUsage(500, 200));
            if (verifier) cheap.enqueue(Reply.text(String.valueOf(q.grade())).withUsage(700, 1));
            strong.enqueue(Reply.text(q.strongRight() ? "RIGHT" : "WRONG").withUsage(500, 200));
            ChatResult r = pipeline.run(ChatExchange.start("sim", "/v1/chat/completions", Caller.ANONYMOUS,
                    ChatRequest.of("auto", List.of(ChatMessage.user(q.text()))), false));
            if ("RIGHT".equals(r.response().content())) right++;
            if (!strong.requests("/chat/completions").isEmpty() && !cheap.requests("/chat/completions").isEmpty()) escalated++;
            cost += r.usage().costUsd();
        }
        int n = questions.size();
        return new Point(scenario, (double) right / n, cost / n * 1000, (double) escalated / n);
    }
}
