package io.keel.bench.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.agent.AgentDefinition;
import io.keel.agent.AgentLoader;
import io.keel.agent.AgentRuntime;
import io.keel.agent.RunListener;
import io.keel.agent.StopReason;
import io.keel.agent.run.AgentRun;
import io.keel.agent.run.RunStore;
import io.keel.agent.run.SqlRunStore;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolBox;
import io.keel.agent.tool.ToolContext;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCall;
import io.keel.store.sql.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent loop's own cost per step, with the model and the tool taking no time: an in-process model that asks for
 * a no-op tool nine times and then answers (10 steps a run), a tool that returns at once. What is left is the loop:
 * the budget and model-call stages, the model call's virtual thread and deadline, argument parsing and schema
 * validation, the tool's virtual thread and time limit, the injection scan of its output, the conversation, the step
 * observer, and the run store's save per step (none, or SQLite). The baseline in the same run is the bare model calls
 * of a run, made directly. Prints p50/p90/p99 of the time per step over many runs.
 *
 * <pre>{@code ./mvnw -q -pl bench/agents -am compile exec:java -Dexec.args="--runs 3000 --warmup 1000"}</pre>
 */
public final class AgentLoopBench {
    static final int STEPS = 10;

    private AgentLoopBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 3000;
        int warmup = 1000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --runs N --warmup N");
            }
        }
        ChatModel model = new ScriptedModel();
        AgentDefinition agent = AgentLoader.parse("name: bench\nmodel: m\ntools: [noop]\nlimits: {max_steps: 20, max_identical_calls: 3}\n", "bench");
        ToolBox tools = ToolBox.of(List.of(new NoopTool()));
        Path dir = Files.createTempDirectory("keel-agent-bench");
        System.out.printf(Locale.ROOT, "agent loop, %d steps a run (9 tool calls, 1 answer), %d runs after %d warm-up runs%n", STEPS, runs, warmup);
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %10s%n", "per step (µs)", "p50", "p90", "p99");
        double[] baseline = baseline(model, runs, warmup);
        print("bare model calls (baseline)", baseline);
        double[] none = measure(AgentRuntime.builder(model).tools(tools).store(RunStore.NONE).build(), agent, runs, warmup);
        print("loop, no run store", none);
        try (Database db = Database.sqlite(dir.resolve("runs.db"))) {
            double[] sql = measure(AgentRuntime.builder(model).tools(tools).store(new SqlRunStore(db, 1000, s -> s)).build(), agent, runs, warmup);
            print("loop, SQLite run store", sql);
            System.out.printf(Locale.ROOT, "loop overhead over baseline, p50: %.0f µs (no store), %.0f µs (SQLite)%n",
                    pct(none, 50) - pct(baseline, 50), pct(sql, 50) - pct(baseline, 50));
        }
    }

    private static double[] measure(AgentRuntime runtime, AgentDefinition agent, int runs, int warmup) {
        double[] perStep = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            long start = System.nanoTime();
            AgentRun run = runtime.run(agent, List.of(ChatMessage.user("count to ten")), Caller.ANONYMOUS, RunListener.NONE);
            long took = System.nanoTime() - start;
            if (run.stopReason() != StopReason.COMPLETED || run.steps() != STEPS) throw new IllegalStateException("unexpected run " + run);
            if (i >= 0) perStep[i] = took / 1_000.0 / STEPS;
        }
        return perStep;
    }

    private static double[] baseline(ChatModel model, int runs, int warmup) {
        double[] perStep = new double[runs];
        List<ChatMessage> conversation = new ArrayList<>();
        for (int i = -warmup; i < runs; i++) {
            conversation.clear();
            conversation.add(ChatMessage.user("count to ten"));
            long start = System.nanoTime();
            for (int s = 0; s < STEPS; s++) {
                ChatResponse r = model.chat(ChatRequest.of("m", conversation));
                conversation.add(ChatMessage.assistant(r.content().isEmpty() ? null : r.content(), r.toolCalls()));
                for (ToolCall c : r.toolCalls()) conversation.add(ChatMessage.tool(c.id(), "ok"));
            }
            long took = System.nanoTime() - start;
            if (i >= 0) perStep[i] = took / 1_000.0 / STEPS;
        }
        return perStep;
    }

    private static void print(String what, double[] v) {
        System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %10.1f%n", what, pct(v, 50), pct(v, 90), pct(v, 99));
    }

    static double pct(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
    }

    /** Asks for the no-op tool (distinct arguments each time) until nine results are in, then answers. */
    static final class ScriptedModel implements ChatModel {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.TOOLS, Capability.STREAMING);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            long results = request.messages().stream().filter(m -> m.role() == ChatMessage.Role.TOOL).count();
            Usage usage = new Usage(50, 10, 0.0, false);
            if (results >= STEPS - 1) return new ChatResponse("r", "m", "Counted to ten.", List.of(), "stop", usage);
            ToolCall call = new ToolCall("call_" + results, "noop", "{\"i\":" + results + "}");
            return new ChatResponse("r", "m", "", List.of(call), "tool_calls", usage);
        }

        @Override
        public void stream(ChatRequest request, StreamListener listener) {
            listener.onComplete(chat(request));
        }
    }

    /** Returns at once. */
    static final class NoopTool implements Tool {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public String description() {
            return "does nothing";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of("type", "object", "properties", Map.of("i", Map.of("type", "integer")), "required", List.of("i"));
        }

        @Override
        public String call(JsonNode arguments, ToolContext context) {
            return "ok " + arguments.get("i").asInt();
        }
    }
}
