package io.keel.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.RequestRecord;
import io.keel.http.HttpJson;

import java.util.List;

/**
 * The JSON shapes of Keel's HTTP API (snake_case), in one place so the keys stay stable. Reading bodies, sending them
 * and the error envelope are the HTTP kit's ({@code io.keel.http}).
 */
public final class Json {
    /** The kit's mapper ({@link HttpJson#MAPPER}). */
    public static final ObjectMapper MAPPER = HttpJson.MAPPER;

    private Json() {
    }

    public static ObjectNode answer(Answer a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", a.id());
        n.put("answer", a.text());
        n.put("generator", a.generator());
        var citations = n.putArray("citations");
        for (Citation c : a.citations()) {
            ObjectNode cn = citations.addObject();
            cn.put("document_id", c.documentId());
            cn.put("chunk_id", c.chunkId());
            cn.put("score", c.score());
            cn.put("text", c.text());
            cn.put("source", c.source());
            if (!c.graphPath().isEmpty()) cn.set("graph_path", MAPPER.valueToTree(c.graphPath()));
        }
        n.set("usage", usage(a.usage()));
        n.set("timings_ms", timings(a.timings()));
        n.set("lineage", lineage(a.lineage()));
        n.set("quality", quality(a.quality()));
        return n;
    }

    /** Quality signals; a signal that could not be computed is null. */
    public static ObjectNode quality(Quality q) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("top_score", q.topScore());
        n.put("score_margin", q.scoreMargin());
        n.put("weak_hit_share", q.weakHitShare());
        n.put("groundedness", q.groundedness());
        n.put("answer_sentences", q.answerSentences());
        n.put("supported_sentences", q.supportedSentences());
        return n;
    }

    /** One request-log record as {@code GET /v1/requests/{id}} returns it. */
    public static ObjectNode request(RequestRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", r.id());
        n.put("time", r.time().toString());
        n.put("route", r.route());
        n.put("tenant", r.caller().tenant());
        n.put("user", r.caller().user());
        n.put("app", r.caller().app());
        n.put("feature", r.caller().feature());
        n.put("status", r.status());
        n.put("error", r.error());
        n.put("question", r.question());
        n.put("answer", r.answer());
        n.set("usage", usage(r.usage()));
        n.set("timings_ms", timings(r.timings()));
        n.set("lineage", lineage(r.lineage()));
        n.set("citations", MAPPER.valueToTree(r.citations()));
        var context = n.putArray("context");
        for (RequestRecord.ContextChunk c : r.context()) {
            context.addObject().put("chunk_id", c.chunkId()).put("document_id", c.documentId()).put("score", c.score())
                    .put("text", c.text());
        }
        n.set("guard_findings", MAPPER.valueToTree(r.findings()));
        n.set("quality", quality(r.quality()));
        return n;
    }

    public static ObjectNode usage(Usage u) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("prompt_tokens", u.promptTokens());
        n.put("completion_tokens", u.completionTokens());
        n.put("total_tokens", u.totalTokens());
        n.put("cached_prompt_tokens", u.cachedPromptTokens());
        n.put("cost_usd", u.costUsd());
        n.put("estimated", u.estimated());
        return n;
    }

    public static ObjectNode timings(Timings t) {
        ObjectNode n = MAPPER.createObjectNode();
        t.millis().forEach(n::put);
        return n;
    }

    public static ObjectNode lineage(Lineage l) {
        ObjectNode n = MAPPER.createObjectNode();
        if (l == null) return n;
        n.put("embedding_model", l.embeddingModel());
        n.put("index_version", l.indexVersion());
        n.put("generator", l.generator());
        n.put("model_version", l.modelVersion());
        n.put("prompt_id", l.promptId());
        n.put("prompt_version", l.promptVersion());
        n.put("guard_policy", l.guardPolicy());
        if (l.experiment() != null) {
            n.put("experiment", l.experiment());
            n.put("variant", l.variant());
        }
        if (l.route() != null) {
            n.put("route", l.route());
            n.put("route_reason", l.routeReason());
        }
        n.set("retrieval", MAPPER.valueToTree(l.retrieval()));
        return n;
    }

    public static ObjectNode hits(List<SearchHit> hits, Timings t) {
        ObjectNode n = MAPPER.createObjectNode();
        var results = n.putArray("results");
        for (SearchHit h : hits) {
            ObjectNode r = results.addObject();
            r.put("document_id", h.documentId());
            r.put("chunk_id", h.chunkId());
            r.put("score", h.score());
            r.put("text", h.text());
            r.put("source", h.source());
            r.put("title", h.title());
            r.set("heading_path", MAPPER.valueToTree(h.headingPath()));
            r.set("metadata", MAPPER.valueToTree(h.metadata()));
        }
        n.set("timings_ms", timings(t));
        return n;
    }
}
