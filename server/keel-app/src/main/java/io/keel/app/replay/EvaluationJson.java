package io.keel.app.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON shape of evaluation runs: snake_case keys, as stored and as {@code GET /v1/evaluations/{id}} returns them. */
public final class EvaluationJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EvaluationJson() {
    }

    /** A run as JSON: id, created_at, spec, summary, gate (null when no gate was applied) and, when asked, rows. */
    public static ObjectNode run(EvaluationRun run, boolean withRows) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", run.id());
        n.put("created_at", run.createdAt().toString());
        n.set("spec", run.spec().toJson());
        n.set("summary", MAPPER.valueToTree(run.summary()));
        n.set("gate", run.verdict() == null ? MAPPER.nullNode() : MAPPER.valueToTree(run.verdict()));
        if (withRows) {
            ArrayNode rows = n.putArray("rows");
            run.rows().forEach(r -> rows.add(MAPPER.<JsonNode>valueToTree(r)));
        }
        return n;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
