package io.keel.core.pipeline;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.RequestRecord;

import java.util.List;
import java.util.Objects;

/**
 * The result of a search without generation ({@code POST /v1/retrieve}).
 *
 * @param index   the state of the searched index; null when the guard refused the query before the search
 * @param refusal the guard's refusal when it blocked the query (then there are no hits), else null
 */
public record Retrieval(String id, List<SearchHit> hits, IndexInfo index, Timings timings, Lineage lineage, String refusal)
        implements RouteResponse<Retrieval> {
    public Retrieval {
        Objects.requireNonNull(id, "id");
        hits = List.copyOf(hits);
        timings = Objects.requireNonNullElse(timings, Timings.EMPTY);
    }

    /** The guard's refusal of a query: no search ran. */
    public static Retrieval refused(String id, String text) {
        return new Retrieval(id, List.of(), null, null, Lineage.EMPTY, text);
    }

    @Override
    public Retrieval withLineage(Lineage l) {
        return new Retrieval(id, hits, index, timings, l, refusal);
    }

    @Override
    public Retrieval withTimings(Timings t) {
        return new Retrieval(id, hits, index, t, lineage, refusal);
    }

    @Override
    public Usage usage() {
        return Usage.ZERO;
    }

    @Override
    public String status() {
        return refusal == null ? "ok" : "blocked";
    }

    /** Hits are not guarded on their way out: their chunks were screened when they were ingested. */
    @Override
    public String guardedText() {
        return null;
    }

    @Override
    public Retrieval withGuardedText(String text, boolean blocked) {
        throw new UnsupportedOperationException("a retrieval has no text to rewrite");
    }

    @Override
    public void describe(RequestRecord.Builder record) {
        record.answer(refusal).citations(hits.stream().map(SearchHit::chunkId).toList());
    }
}
