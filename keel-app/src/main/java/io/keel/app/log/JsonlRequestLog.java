package io.keel.app.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded request log: one JSON object per line in {@code <data>/requests.jsonl}, flushed per record so a
 * crash loses nothing that was answered.
 */
public final class JsonlRequestLog implements RequestLog {
    private static final Logger LOG = Logger.getLogger(JsonlRequestLog.class.getName());
    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;

    /** Writes records as given: wrap it in a redacting log so no raw PII reaches the file. */
    public JsonlRequestLog(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the request log " + file, e);
        }
    }

    @Override
    public void record(RequestRecord r) {
        ObjectNode n = json.createObjectNode();
        n.put("id", r.id());
        n.put("time", r.time().toString());
        n.put("route", r.route());
        n.put("question", r.question());
        n.put("status", r.status());
        if (r.error() != null) n.put("error", r.error());
        ObjectNode usage = n.putObject("usage");
        usage.put("prompt_tokens", r.usage().promptTokens());
        usage.put("completion_tokens", r.usage().completionTokens());
        usage.put("cost_usd", r.usage().costUsd());
        usage.put("estimated", r.usage().estimated());
        ObjectNode timings = n.putObject("timings_ms");
        r.timings().millis().forEach(timings::put);
        if (r.lineage() != null) {
            ObjectNode l = n.putObject("lineage");
            l.put("embedding_model", r.lineage().embeddingModel());
            l.put("index_version", r.lineage().indexVersion());
            l.put("generator", r.lineage().generator());
            l.put("prompt_version", r.lineage().promptVersion());
            l.set("retrieval", json.valueToTree(r.lineage().retrieval()));
        }
        n.set("citations", json.valueToTree(r.citations()));
        try {
            String line = json.writeValueAsString(n);
            synchronized (out) {
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // A full disk must not turn answered requests into errors; it is loud in the server log instead.
            LOG.log(Level.SEVERE, "request log write failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            synchronized (out) {
                out.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the request log failed: " + e.getMessage());
        }
    }
}
