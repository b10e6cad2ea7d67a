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
 * @param candidates how many candidates each ranked list (dense, text) of the search contributes before fusion and
 *                   truncation to {@code topK}; at least {@code topK} are taken. 0 leaves it to the index's
 *                   configuration ({@code index.dense.candidates}, {@code index.bm25.candidates}); an experiment
 *                   variant sets it with {@code retrieval.candidates}
 */
public record Query(String text, int topK, RetrievalMode mode, Filters filters, String collection, int candidates) {
    public static final int MAX_TOP_K = 1000;
    public static final int MAX_CANDIDATES = 10_000;
    public static final String DEFAULT_COLLECTION = "default";

    public Query {
        if (text == null || text.isBlank()) throw KeelException.invalid("query text must not be empty");
        if (topK < 1 || topK > MAX_TOP_K) throw KeelException.invalid("top_k must be between 1 and " + MAX_TOP_K + "; got " + topK);
        mode = Objects.requireNonNullElse(mode, RetrievalMode.HYBRID);
        filters = Objects.requireNonNullElse(filters, Filters.NONE);
        collection = collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
        if (candidates < 0 || candidates > MAX_CANDIDATES) {
            throw KeelException.invalid("candidates must be between 1 and " + MAX_CANDIDATES + " (0: the index's setting); got " + candidates);
        }
    }

    /** A query that leaves the candidate counts to the index's configuration. */
    public Query(String text, int topK, RetrievalMode mode, Filters filters, String collection) {
        this(text, topK, mode, filters, collection, 0);
    }

    public static Query of(String text, int topK) {
        return new Query(text, topK, RetrievalMode.HYBRID, Filters.NONE, DEFAULT_COLLECTION);
    }

    public Query withMode(RetrievalMode newMode) {
        return new Query(text, topK, newMode, filters, collection, candidates);
    }

    public Query withText(String newText) {
        return new Query(newText, topK, mode, filters, collection, candidates);
    }

    public Query withFilters(Filters newFilters) {
        return new Query(text, topK, mode, newFilters, collection, candidates);
    }

    /**
     * The candidates a ranked list should hold: this query's {@link #candidates()} when set, else {@code configured};
     * never fewer than {@code topK}.
     */
    public int candidatesOr(int configured) {
        return Math.max(topK, candidates > 0 ? candidates : configured);
    }
}
