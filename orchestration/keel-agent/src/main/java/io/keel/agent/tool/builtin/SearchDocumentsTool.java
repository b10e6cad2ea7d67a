package io.keel.agent.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolContext;
import io.keel.core.query.Filters;
import io.keel.core.query.SearchHit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code search_documents}: the retrieval pipeline, with the run's caller's identity and ACLs. */
public final class SearchDocumentsTool implements Tool {
    private final DocumentSearch search;

    public SearchDocumentsTool(DocumentSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public String name() {
        return "search_documents";
    }

    @Override
    public String description() {
        return "Searches the document collections for passages relevant to a query. Returns numbered passages with their document ids.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object",
                "properties", Map.of(
                        "query", Map.of("type", "string", "minLength", 1, "maxLength", 2000),
                        "top_k", Map.of("type", "integer", "minimum", 1, "maximum", 20),
                        "collection", Map.of("type", "string", "maxLength", 200)),
                "required", List.of("query"), "additionalProperties", false);
    }

    @Override
    public String call(JsonNode args, ToolContext context) {
        String collection = args.hasNonNull("collection") ? args.get("collection").asText() : null;
        List<SearchHit> hits = search.search(args.get("query").asText(), args.path("top_k").asInt(5), collection, Filters.NONE, context.caller());
        if (hits.isEmpty()) return "No passages found.";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            sb.append('[').append(i + 1).append("] document_id=").append(h.documentId());
            if (h.title() != null && !h.title().isBlank()) sb.append(" title=").append(h.title());
            sb.append('\n').append(h.text().strip()).append("\n\n");
        }
        return sb.toString().strip();
    }
}
