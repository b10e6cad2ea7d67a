package io.keel.openai.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.http.HttpJson;
import io.keel.openai.protocol.OpenAiCodec;
import io.keel.core.chat.StreamFlush;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the chat route's stream as {@code chat.completion.chunk} events, the last listener of the stream after the
 * pipeline's stages (budget settlement, output guard, request log). The response is committed at the first token: a
 * failure before it is answered as a plain HTTP error, one after it as an {@code error} event and no {@code [DONE]}.
 * A write to a client that went away throws {@link UncheckedIOException}, which ends the upstream stream.
 */
final class SseWriter implements StreamListener {
    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;
    private final ServerResponse res;
    private OutputStream out;
    private boolean clientGone;
    private byte[] contentPrefix;
    private byte[] contentSuffix;

    SseWriter(String id, String model, long created, boolean includeUsage, ServerResponse res) {
        this.id = id;
        this.model = model;
        this.created = created;
        this.includeUsage = includeUsage;
        this.res = res;
    }

    /**
     * Opens the stream with the role chunk, left in the buffer: it leaves with the next flushed write.
     *
     * @return whether the stream was opened now
     */
    private boolean begin() {
        if (out != null) return false;
        out = OpenAiHttp.openStream(res);
        ObjectNode role = OpenAiCodec.JSON.createObjectNode().put("role", "assistant").put("content", "");
        write(OpenAiCodec.writeChunk(id, model, created, role, null, includeUsage), false);
        return true;
    }

    /** A token; an empty one (the output guard held text back) still opens the stream and sends the role chunk. */
    @Override
    public void onToken(String token) {
        boolean opened = begin();
        if (!token.isEmpty()) {
            if (OpenAiHttp.hasSurrogate(token)) {
                // Jackson's byte generator escapes surrogate pairs; keep its exact bytes for these
                write(OpenAiCodec.writeChunk(id, model, created, OpenAiCodec.JSON.createObjectNode().put("content", token), null,
                        includeUsage));
            } else {
                writeContent(token);
            }
        } else if (opened) {
            flush();
        }
    }

    @Override
    public void onToolCallDelta(ToolCallDelta d) {
        begin();
        ObjectNode call = OpenAiCodec.JSON.createObjectNode().put("index", d.index());
        if (d.id() != null) call.put("id", d.id()).put("type", "function");
        ObjectNode fn = call.putObject("function");
        if (d.name() != null) fn.put("name", d.name());
        fn.put("arguments", d.argumentsDelta());
        ObjectNode delta = OpenAiCodec.JSON.createObjectNode();
        delta.putArray("tool_calls").add(call);
        write(OpenAiCodec.writeChunk(id, model, created, delta, null, includeUsage));
    }

    @Override
    public void onComplete(ChatResponse r) {
        begin();
        String finish = r.finishReason() == null ? "stop" : r.finishReason();
        // the last events leave together: close() flushes them
        write(OpenAiCodec.writeChunk(id, model, created, OpenAiCodec.JSON.createObjectNode(), finish, includeUsage), false);
        if (includeUsage) write(OpenAiCodec.writeUsageChunk(id, model, created, r.usage()), false);
        try {
            out.write(OpenAiHttp.DONE);
            out.close();
        } catch (IOException e) {
            clientGone = true;
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onError(Throwable error) {
        KeelException e = error instanceof KeelException k ? k
                : new KeelException(ErrorCode.INTERNAL, "stream failed: " + error.getClass().getSimpleName());
        if (out == null) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e);
            return;
        }
        try {
            out.write(("data: " + OpenAiCodec.toJson(OpenAiErrors.ENVELOPE.body(e.code(), e.getMessage())) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException | UncheckedIOException ignored) {
            // the client is gone; the pipeline recorded the failure
        }
    }

    private void write(ObjectNode chunk) {
        write(chunk, true);
    }

    private void write(ObjectNode chunk, boolean flush) {
        if (clientGone) throw new UncheckedIOException(new IOException("client closed the stream"));
        try {
            OpenAiHttp.event(out, chunk, flush);
        } catch (IOException | UncheckedIOException e) {
            clientGone = true;
            throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            clientGone = true;
            throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
        }
    }

    /** The deferred flush: a failure marks the client gone, as a failed write does. */
    private final Flushable flusher = () -> {
        try {
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            clientGone = true;
            throw e;
        }
    };

    /**
     * Writes a text-delta chunk, the bytes {@code writeChunk} + {@code event} would write, from a prefix and suffix
     * encoded once per stream: only the text is escaped per token.
     */
    private void writeContent(String text) {
        if (clientGone) throw new UncheckedIOException(new IOException("client closed the stream"));
        if (contentPrefix == null) {
            contentPrefix = ("data: {\"id\":" + OpenAiHttp.quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                    + ",\"model\":" + OpenAiHttp.quote(model) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .getBytes(StandardCharsets.UTF_8);
            contentSuffix = ("\"},\"logprobs\":null,\"finish_reason\":null}]" + (includeUsage ? ",\"usage\":null" : "") + "}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] t = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        try {
            // the response stream is buffered: the writes leave as one chunk at the flush, which waits until the
            // upstream reader has no more received events to relay (StreamFlush), so events that arrived together
            // leave together
            out.write(contentPrefix);
            out.write(t);
            out.write(contentSuffix);
            if (!StreamFlush.defer(flusher)) out.flush();
        } catch (IOException | UncheckedIOException e) {
            clientGone = true;
            throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
        }
    }
}
