package io.keel.core.spi;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.List;
import java.util.Map;

/**
 * All collections of one Keel data directory (or database). Built by the {@link IndexStoreFactory} that
 * {@code index.backend} names.
 */
public interface IndexStore extends AutoCloseable {
    /** Opens a collection, creating it when {@code create} is true. */
    CollectionIndex collection(String name, boolean create);

    List<String> collections();

    /**
     * Re-embeds every chunk of a collection with {@code embedder} and rewrites the collection under its model: the
     * operation behind {@code keel reindex --collection NAME}, the fix for a model mismatch. Works on a collection
     * built by any model; a failure leaves the collection as it was. The default serves stores that cannot.
     *
     * @param embedder the configured model
     * @param progress called after each batch of chunks
     * @return the collection's state after the rewrite
     * @throws KeelException {@link ErrorCode#UNSUPPORTED_CAPABILITY} when this store cannot reindex
     * @since 0.1
     */
    default IndexInfo reindex(String collection, Embedder embedder, ReindexProgress progress) {
        throw new KeelException(ErrorCode.UNSUPPORTED_CAPABILITY, "the index store " + getClass().getSimpleName()
                + " cannot re-embed collection '" + collection + "'; rebuild it by ingesting its sources again");
    }

    /**
     * The search tuning this store applies, reported with each generation so that an answer can be traced to the
     * settings that retrieved its context (e.g. {@code dense_candidates}, {@code rrf_k}). Empty by default.
     *
     * @since 0.1
     */
    default Map<String, Object> searchSettings() {
        return Map.of();
    }

    @Override
    void close();
}
