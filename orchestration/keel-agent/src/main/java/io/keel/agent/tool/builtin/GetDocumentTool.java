package io.keel.agent.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;
import io.keel.core.query.Filters;
import io.keel.core.query.SearchHit;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code get_document}: the text of one document by id, read through the same retrieval pipeline (filtered to that
 * document), so a document outside the caller's tenant or ACL groups is "not found", exactly as in a search.
 */
public final class GetDocumentTool implements Tool {
    static final int MAX_CHUNKS = 50;

    private final DocumentSearch search;

    public GetDocumentTool(DocumentSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public String name() {
        return "get_document";
    }

    @Override
    public String description() {
        return "Returns the text of one document by its document_id (as returned by search_documents).";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object",
                "properties", Map.of(
                        "document_id", Map.of("type", "string", "minLength", 1, "maxLength", 1000),
                        "collection", Map.of("type", "string", "maxLength", 200)),
                "required", List.of("document_id"), "additionalProperties", false);
    }

    /** A chunk's position in its document: the number after the last {@code #} of its id ({@code documentId#ordinal}). */
    static long ordinal(SearchHit h) {
        int i = h.chunkId().lastIndexOf('#');
        try {
            return i < 0 ? Long.MAX_VALUE : Long.parseLong(h.chunkId().substring(i + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String call(JsonNode args, ToolContext context) throws ToolException {
        String id = args.get("document_id").asText();
        String collection = args.hasNonNull("collection") ? args.get("collection").asText() : null;
        List<SearchHit> chunks = search.search(id, MAX_CHUNKS, collection, Filters.of(Map.of("document_id", List.of(id))), context.caller());
        if (chunks.isEmpty()) throw new ToolException("no document '" + id + "'");
        StringBuilder sb = new StringBuilder();
        SearchHit first = chunks.getFirst();
        if (first.title() != null && !first.title().isBlank()) sb.append(first.title()).append("\n\n");
        chunks.stream().sorted(Comparator.comparingLong(GetDocumentTool::ordinal).thenComparing(SearchHit::chunkId))
                .forEach(h -> sb.append(h.text().strip()).append("\n\n"));
        return sb.toString().strip();
    }
}
