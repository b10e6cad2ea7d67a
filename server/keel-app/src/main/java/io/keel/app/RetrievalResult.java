package io.keel.app;

import io.keel.core.answer.Timings;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.IndexInfo;

import java.util.List;

/** Hits of a search without generation, with the time each step took. */
public record RetrievalResult(List<SearchHit> hits, Timings timings, IndexInfo index) {
}
