package io.keel.core.query;

import io.keel.core.error.KeelException;

import java.util.Objects;

/**
 * A retrieval request.
 *
 * @param text       what to search for
 * @param topK       how many hits to return (1..100)
 * @param mode       dense, bm25 or hybrid
 * @param filters    metadata filters applied inside the search
 * @param collection the collection to search
 */
public record Query(String text, int topK, RetrievalMode mode, Filters filters, String collection) {
    public static final int MAX_TOP_K = 1000;
    public static final String DEFAULT_COLLECTION = "default";

    public Query {
        if (text == null || text.isBlank()) throw KeelException.invalid("query text must not be empty");
        if (topK < 1 || topK > MAX_TOP_K) throw KeelException.invalid("top_k must be between 1 and " + MAX_TOP_K + "; got " + topK);
        mode = Objects.requireNonNullElse(mode, RetrievalMode.HYBRID);
        filters = Objects.requireNonNullElse(filters, Filters.NONE);
        collection = collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
    }

    public static Query of(String text, int topK) {
        return new Query(text, topK, RetrievalMode.HYBRID, Filters.NONE, DEFAULT_COLLECTION);
    }

    public Query withMode(RetrievalMode newMode) {
        return new Query(text, topK, newMode, filters, collection);
    }
}
