package io.keel.graph.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request that asks a chat model for a batch of chunks' entities and relations, and the strict reading of its
 * answer: one JSON object, {@code {"passages":[{"id":1,"entities":[...],"relations":[["A","B"],...]},...]}}, optionally
 * inside one Markdown code fence. A passage whose object is missing or malformed has no extraction (its chunk falls
 * back); an answer that is not such an object has none at all.
 */
public final class ExtractionPrompt {
    /** Part of every cache key: a change of the prompt below must change it, so no old answer is reused. */
    public static final String ID = "graph-extract";
    public static final String VERSION = "1";
    static final String SYSTEM = """
            You build a knowledge graph from passages. For each passage, list the named entities it mentions (people, \
            organisations, places, works such as books, films and albums, events, products, and other proper names; not \
            dates, numbers or common nouns), each written as in the passage, and the pairs of those entities that the \
            passage states a relation between. Answer with one JSON object and nothing else, exactly of this form:
            {"passages":[{"id":1,"entities":["Name","Other Name"],"relations":[["Name","Other Name"]]}]}
            with one object per passage and the ids as given.""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExtractionPrompt() {
    }

    /** The request for {@code texts}, numbered from 1 in the prompt. */
    static ChatRequest request(String model, List<String> texts, int maxTokens) {
        StringBuilder user = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            user.append("Passage ").append(i + 1).append(":\n").append(texts.get(i).strip()).append("\n\n");
        }
        return ChatRequest.of(model, List.of(ChatMessage.system(SYSTEM), ChatMessage.user(user.toString().strip())))
                .withMaxTokens(maxTokens).withTemperature(0.0);
    }

    /**
     * The extractions of an answer to a batch of {@code size} passages, by index from 0; a passage absent from the map
     * had no well-formed object.
     *
     * @throws IllegalArgumentException when the answer is not one JSON object with a {@code passages} list
     */
    static Map<Integer, Extraction> parse(String answer, int size) {
        JsonNode root;
        try {
            root = JSON.readTree(unfenced(answer));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("passages").isArray()) {
            throw new IllegalArgumentException("not an object with a \"passages\" list");
        }
        Map<Integer, Extraction> out = new HashMap<>();
        for (JsonNode p : root.get("passages")) {
            if (!p.isObject() || !p.path("id").canConvertToInt()) continue;
            int index = p.get("id").asInt() - 1;
            if (index < 0 || index >= size || out.containsKey(index)) continue;
            Extraction e = passage(p);
            if (e != null) out.put(index, e);
        }
        return out;
    }

    /** One passage's object, or null when a field has the wrong shape. */
    private static Extraction passage(JsonNode p) {
        JsonNode entities = p.path("entities");
        JsonNode relations = p.path("relations");
        if (!entities.isArray() || !(relations.isArray() || relations.isMissingNode())) return null;
        List<String> names = new ArrayList<>();
        for (JsonNode e : entities) {
            if (!e.isTextual()) return null;
            names.add(e.asText());
        }
        List<List<String>> pairs = new ArrayList<>();
        for (JsonNode r : relations) {
            if (!r.isArray() || r.size() != 2 || !r.get(0).isTextual() || !r.get(1).isTextual()) return null;
            pairs.add(List.of(r.get(0).asText(), r.get(1).asText()));
        }
        return new Extraction(names, pairs);
    }

    private static String unfenced(String answer) {
        String s = answer.strip();
        if (s.startsWith("```")) {
            int firstLine = s.indexOf('\n');
            int end = s.lastIndexOf("```");
            if (firstLine > 0 && end > firstLine) s = s.substring(firstLine + 1, end).strip();
        }
        return s;
    }

    /** The cache's form of an extraction. */
    static String toJson(Extraction e) {
        try {
            return JSON.writeValueAsString(Map.of("entities", e.entities(), "relations", e.relations()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** An extraction the cache kept ({@link #toJson}); null when it cannot be read back. */
    static Extraction fromJson(String json) {
        try {
            return passage(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
