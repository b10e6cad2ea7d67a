package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.agent.Agents;
import io.keel.agent.RunListener;
import io.keel.agent.run.AgentRun;
import io.keel.agent.run.RunStep;
import io.keel.app.Keel;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Agent runs: {@code POST /v1/agents/{name}/runs} runs an agent to its end (a final answer or a limit) and answers the
 * run; {@code GET /v1/agents/runs/{id}} reads a run of the caller's tenant with every step;
 * {@code POST /v1/agents/runs/{id}/resume} continues an interrupted run from its last completed step.
 */
final class AgentService implements HttpService {
    private static final Set<String> FIELDS = Set.of("input", "messages");

    private final Keel keel;
    private final long maxBodyBytes;

    AgentService(Keel keel, long maxBodyBytes) {
        this.keel = keel;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/agents/{name}/runs", this::run)
                .get("/v1/agents/runs/{id}", this::get)
                .post("/v1/agents/runs/{id}/resume", this::resume);
    }

    private Agents agents() {
        return keel.agents().orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                "agents need a chat model: configure 'models' in keel.yaml (see docs/agents.md)"));
    }

    private void run(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        List<ChatMessage> input = input(RequestBody.readObject(req, maxBodyBytes, "server.max_request_bytes"));
        AgentRun run = agents().run(name, input, RequestsService.caller(req), RunListener.NONE);
        HttpJson.send(res, 200, json(run, false));
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        AgentRun run = agents().find(id, RequestsService.caller(req))
                .orElseThrow(() -> KeelException.notFound("no agent run '" + id + "'"));
        HttpJson.send(res, 200, json(run, true));
    }

    private void resume(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Caller caller = RequestsService.caller(req);
        AgentRun run = agents().resume(id, caller, RunListener.NONE);
        HttpJson.send(res, 200, json(run, false));
    }

    /** {@code input} (one user message) or {@code messages} (OpenAI-shaped text messages), exactly one of them. */
    static List<ChatMessage> input(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw RequestFields.unprocessable("unknown field '" + f + "'; allowed fields are " + FIELDS.stream().sorted().toList());
        }
        JsonNode text = body.get("input");
        JsonNode messages = body.get("messages");
        if ((text == null) == (messages == null)) throw RequestFields.unprocessable("give either 'input' (a string) or 'messages' (a list)");
        if (text != null) {
            if (!text.isTextual() || text.asText().isBlank()) throw RequestFields.unprocessable("'input' must be a non-empty string");
            return List.of(ChatMessage.user(text.asText()));
        }
        if (!messages.isArray() || messages.isEmpty()) throw RequestFields.unprocessable("'messages' must be a non-empty list");
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!m.isObject() || !m.path("content").isTextual()) {
                throw RequestFields.unprocessable("each message needs a 'role' and a string 'content'");
            }
            ChatMessage.Role role;
            try {
                role = ChatMessage.Role.fromWire(m.path("role").asText(null));
            } catch (IllegalArgumentException e) {
                throw RequestFields.unprocessable(e.getMessage());
            }
            if (role == ChatMessage.Role.TOOL) throw RequestFields.unprocessable("tool messages cannot start a run");
            out.add(new ChatMessage(role, m.get("content").asText(), List.of(), null, null));
        }
        return out;
    }

    /** The run as JSON; with {@code steps} every recorded event. */
    static ObjectNode json(AgentRun run, boolean steps) {
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        n.put("id", run.id());
        n.put("object", "agent.run");
        n.put("agent", run.agentName());
        n.put("status", run.status().wireName());
        n.put("stop_reason", run.stopReason() == null ? null : run.stopReason().wireName());
        n.put("answer", run.answer());
        if (run.error() != null) n.put("error", run.error());
        n.put("steps", run.steps());
        usage(n.putObject("usage"), run.usage());
        ObjectNode lineage = n.putObject("lineage");
        lineage.put("agent", run.agent());
        ArrayNode models = lineage.putArray("models");
        run.models().forEach(models::add);
        ArrayNode prompts = lineage.putArray("prompts");
        run.prompts().forEach(prompts::add);
        n.put("started", run.started().toString());
        n.put("updated", run.updated().toString());
        n.put("elapsed_ms", run.elapsedMillis());
        if (steps) {
            ArrayNode arr = n.putArray("events");
            for (RunStep e : run.events()) {
                ObjectNode s = arr.addObject();
                s.put("step", e.step());
                s.put("kind", e.kind());
                s.put("name", e.name());
                if (e.arguments() != null) s.put("arguments", e.arguments());
                s.put("result_chars", e.resultChars());
                s.put("latency_ms", Math.round(e.latencyMs() * 1000) / 1000.0);
                if (e.kind().equals(RunStep.MODEL)) usage(s.putObject("usage"), e.usage());
                if (e.flagged()) s.put("flagged", true);
                if (e.error() != null) s.put("error", e.error());
            }
        }
        return n;
    }

    private static void usage(ObjectNode u, Usage usage) {
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        u.put("cost_usd", usage.costUsd());
    }
}
