package io.keel.core.pipeline;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Timings;
import io.keel.core.query.Query;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.IndexInfo;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A question (or a search) on its way through the query or retrieve route's pipeline. Immutable but for the per-request {@link Timings.Recorder};
 * stages enrich it with {@code with*} copies and pass the copy on.
 *
 * @param vector  the question embedding, once the embed stage ran (null in bm25 mode)
 * @param hits    retrieved chunks, once the retrieve stage ran
 * @param context the chunks chosen for generation, once the context stage ran
 * @param index   the state of the searched index, for lineage
 * @param caller  who asked (tenant, user, app, feature), for attribution and budgets
 */
public record QueryRequest(String id, String route, Instant received, Query query, float[] vector,
                           List<SearchHit> hits, List<SearchHit> context, IndexInfo index,
                           Caller caller, Timings.Recorder timings, Trail trail) implements RouteRequest<QueryRequest> {
    public QueryRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(trail, "trail");
        caller = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
        hits = hits == null ? List.of() : List.copyOf(hits);
        context = context == null ? List.of() : List.copyOf(context);
    }

    public static QueryRequest start(String id, String route, Query query) {
        return start(id, route, query, Caller.ANONYMOUS);
    }

    public static QueryRequest start(String id, String route, Query query, Caller caller) {
        return new QueryRequest(id, route, Instant.now(), query, null, List.of(), List.of(), null, caller, new Timings.Recorder(), new Trail());
    }

    /** The question. */
    @Override
    public String guardedText() {
        return query.text();
    }

    /** The same question with the guard's redacted text. */
    @Override
    public QueryRequest withGuardedText(String text) {
        return withQuery(query.withText(text));
    }

    @Override
    public QueryRequest copyAs(String newId) {
        return new QueryRequest(newId, route, received, query, null, List.of(), List.of(), null, caller, new Timings.Recorder(), new Trail());
    }

    public QueryRequest withQuery(Query q) {
        return new QueryRequest(id, route, received, q, vector, hits, context, index, caller, timings, trail);
    }

    public QueryRequest withVector(float[] v) {
        return new QueryRequest(id, route, received, query, v, hits, context, index, caller, timings, trail);
    }

    public QueryRequest withHits(List<SearchHit> h, IndexInfo info) {
        return new QueryRequest(id, route, received, query, vector, h, context, info, caller, timings, trail);
    }

    public QueryRequest withContext(List<SearchHit> c) {
        return new QueryRequest(id, route, received, query, vector, hits, c, index, caller, timings, trail);
    }
}
