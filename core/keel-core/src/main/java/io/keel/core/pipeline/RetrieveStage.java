package io.keel.core.pipeline;

import io.keel.core.answer.Timings;
import io.keel.core.query.Query;
import io.keel.core.security.DocumentAccess;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Searches the request's collection and adds the hits, within the caller's tenant and ACL groups when it is
 * authenticated ({@link DocumentAccess}); on the way back it stamps the lineage it decided: the embedding
 * model and index state searched and the retrieval settings (with a short hash to compare runs by).
 */
public final class RetrieveStage<A extends RouteResponse<A>> extends NamedStage<QueryRequest, A> {
    private final IndexStore indexes;
    private final Map<String, Object> settings;

    /** @param settings fixed retrieval configuration (candidate counts, fusion weights), recorded in lineage */
    public RetrieveStage(IndexStore indexes, Map<String, Object> settings) {
        super("retrieve", Timings.VECTOR_SEARCH);
        this.indexes = Objects.requireNonNull(indexes, "indexes");
        this.settings = Map.copyOf(settings);
    }

    @Override
    public A handle(QueryRequest request, Chain<QueryRequest, A> chain) {
        Query enforced = DocumentAccess.enforce(request.query(), request.caller()); // before the collection is even opened
        CollectionIndex index = indexes.collection(enforced.collection(), false);
        QueryRequest searched = request.withHits(index.search(enforced, request.vector()), index.info());
        A response = chain.proceed(searched);
        return response.withLineage(response.lineageOrEmpty().withRetrieval(searched.index().embeddingModel(),
                searched.index().versionTag(), lineage(request.query())));
    }

    private Map<String, Object> lineage(Query query) {
        Map<String, Object> retrieval = new TreeMap<>(settings);
        retrieval.put("mode", query.mode().wireName());
        retrieval.put("top_k", query.topK());
        if (query.candidates() > 0) retrieval.put("candidates", query.candidates());   // overrides the index's counts
        retrieval.put("filters", query.filters().terms().keySet().stream().sorted().toList());
        retrieval.put("hash", hash(retrieval.toString()));
        return retrieval;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
