package io.keel.core.answer;

import io.keel.core.query.SearchHit;

/** A retrieved chunk an answer relies on. */
public record Citation(String documentId, String chunkId, float score, String text, String source) {
    public static Citation of(SearchHit hit) {
        return new Citation(hit.documentId(), hit.chunkId(), hit.score(), hit.text(), hit.source());
    }
}
