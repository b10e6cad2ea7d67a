package io.keel.core.pipeline;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;

import java.util.Map;

/**
 * Applies the experiment variant's retrieval overrides ({@code retrieval.mode}, {@code retrieval.top_k},
 * {@code retrieval.candidates}) to the request's query, so that an experiment can compare retrieval strategies. Runs right after {@link VariantStage} and
 * before embedding (the mode decides whether the question is embedded); the retrieve stage then records the settings
 * actually used in lineage. Without a variant, or without those keys, the request passes unchanged.
 */
public final class RetrievalOverrideStage<A extends RouteResponse<A>> extends NamedStage<QueryRequest, A> {
    public static final String MODE = "retrieval.mode";
    public static final String TOP_K = "retrieval.top_k";
    public static final String CANDIDATES = "retrieval.candidates";

    public RetrievalOverrideStage() {
        super("retrieval-overrides", "variant");
    }

    @Override
    public A handle(QueryRequest request, Chain<QueryRequest, A> chain) {
        Map<String, Object> overrides = request.trail().variant().overrides();
        if (!overrides.containsKey(MODE) && !overrides.containsKey(TOP_K) && !overrides.containsKey(CANDIDATES)) {
            return chain.proceed(request);
        }
        Query q = request.query();
        RetrievalMode mode = overrides.containsKey(MODE) ? RetrievalMode.parse(String.valueOf(overrides.get(MODE))) : q.mode();
        int topK = number(request, TOP_K, q.topK());
        int candidates = number(request, CANDIDATES, q.candidates());
        return chain.proceed(request.withQuery(new Query(q.text(), topK, mode, q.filters(), q.collection(), candidates)));
    }

    private static int number(QueryRequest request, String key, int otherwise) {
        Object value = request.trail().variant().overrides().get(key);
        if (value == null) return otherwise;
        if (value instanceof Number n) return n.intValue();
        throw new KeelException(ErrorCode.INTERNAL, "variant '" + request.trail().variant().name()
                + "' of experiment '" + request.trail().variant().experiment() + "' sets " + key + " to a non-number: " + value);
    }
}
