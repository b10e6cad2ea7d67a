package io.keel.openai.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.http.HttpJson;
import io.keel.openai.protocol.OpenAiCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A chat completion answered by an agent ({@code model: "agent:NAME"}). Plain: the run's final text as the assistant's
 * message. Streamed: the text of every step as it is produced, then a final chunk. The finish reason is {@code stop}
 * when the agent answered and {@code length} when a limit ended the run; {@code agent_run} ({@code id},
 * {@code status}, {@code stop_reason}) says which. A run whose model call failed ends a stream with an error event and
 * no {@code [DONE]}, and a plain request with the error.
 */
final class AgentCompletion {
    private final AgentModels agents;
    private final long created;
    private final boolean includeUsage;

    AgentCompletion(AgentModels agents, long created, boolean includeUsage) {
        this.agents = agents;
        this.created = created;
        this.includeUsage = includeUsage;
    }

    void answer(String id, Caller caller, ChatRequest request, boolean stream, ServerResponse res) {
        String name = request.model().substring(OpenAiApiService.AGENT_PREFIX.length());
        List<ChatMessage> messages = request.messages();
        if (messages.stream().anyMatch(m -> m.role() == ChatMessage.Role.TOOL || !m.toolCalls().isEmpty())) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.INVALID_REQUEST,
                    "an agent: model runs its own tools; send system, user and assistant text messages only");
            return;
        }
        if (!request.tools().isEmpty()) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.INVALID_REQUEST, "an agent: model uses the tools of its definition; leave 'tools' out");
            return;
        }
        if (!stream) {
            plain(id, caller, request.model(), name, messages, res);
            return;
        }
        streamed(id, caller, request.model(), name, messages, res);
    }

    private void plain(String id, Caller caller, String model, String name, List<ChatMessage> messages, ServerResponse res) {
        Optional<AgentModels.Reply> r;
        try {
            r = agents.run(name, messages, caller, null);
        } catch (KeelException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e.code(), e.getMessage());
            return;
        }
        if (r.isEmpty()) {
            notFound(model, name, res);
            return;
        }
        AgentModels.Reply reply = r.get();
        if (reply.error() != null) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.UPSTREAM_ERROR, "agent run " + reply.runId() + " was interrupted: "
                    + reply.error() + "; resume it with POST /v1/agents/runs/" + reply.runId() + "/resume");
            return;
        }
        ChatResponse response = new ChatResponse(id, model, reply.text() == null ? "" : reply.text(), List.of(), finish(reply), reply.usage());
        ObjectNode body = OpenAiCodec.writeResponse(response, created);
        body.set("agent_run", run(reply));
        HttpJson.send(res, 200, body, OpenAiCodec.JSON);
    }

    private void streamed(String id, Caller caller, String model, String name, List<ChatMessage> messages, ServerResponse res) {
        if (!agents.agents().contains(name)) {
            notFound(model, name, res);
            return;
        }
        try (OutputStream out = OpenAiHttp.openStream(res)) {
            ObjectNode role = OpenAiCodec.JSON.createObjectNode().put("role", "assistant").put("content", "");
            OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, model, created, role, null, includeUsage));
            AgentModels.Reply reply;
            try {
                reply = agents.run(name, messages, caller, token -> {
                    try {
                        OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, model, created,
                                OpenAiCodec.JSON.createObjectNode().put("content", token), null, includeUsage));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).orElseThrow(() -> KeelException.notFound("no agent '" + name + "'"));
            } catch (KeelException e) {
                error(out, e.code(), e.getMessage());
                return;
            }
            if (reply.error() != null) {
                error(out, ErrorCode.UPSTREAM_ERROR, "agent run " + reply.runId() + " was interrupted: " + reply.error());
                return;
            }
            ObjectNode fin = OpenAiCodec.writeChunk(id, model, created, OpenAiCodec.JSON.createObjectNode(), finish(reply), includeUsage);
            fin.set("agent_run", run(reply));
            OpenAiHttp.event(out, fin);
            if (includeUsage) OpenAiHttp.event(out, OpenAiCodec.writeUsageChunk(id, model, created, reply.usage() == null ? Usage.ZERO : reply.usage()));
            out.write(OpenAiHttp.DONE);
        } catch (IOException | UncheckedIOException e) {
            // the client is gone; the run was stored and recorded
        }
    }

    private static void error(OutputStream out, ErrorCode code, String message) throws IOException {
        out.write(("data: " + OpenAiCodec.toJson(OpenAiErrors.ENVELOPE.body(code, message)) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String finish(AgentModels.Reply reply) {
        return reply.completed() ? "stop" : "length";
    }

    private static ObjectNode run(AgentModels.Reply reply) {
        return OpenAiCodec.JSON.createObjectNode().put("id", reply.runId()).put("status", reply.status()).put("stop_reason", reply.stopReason());
    }

    private static void notFound(String model, String name, ServerResponse res) {
        HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.NOT_FOUND, "The model '" + model + "' does not exist: no agent named '"
                + name + "'; GET /v1/models lists the available ones");
    }
}
