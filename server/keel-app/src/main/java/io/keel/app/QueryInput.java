package io.keel.app;

import io.keel.core.query.Filters;
import io.keel.core.query.RetrievalMode;

/**
 * A question as a caller states it; nulls take the configured defaults.
 */
public record QueryInput(String question, Integer topK, RetrievalMode mode, Filters filters, String collection) {
    public static QueryInput of(String question) {
        return new QueryInput(question, null, null, null, null);
    }
}
