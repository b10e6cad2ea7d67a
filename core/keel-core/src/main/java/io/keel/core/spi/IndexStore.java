package io.keel.core.spi;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * All collections of one Keel data directory (or database). Built by the {@link IndexStoreFactory} that
 * {@code index.backend} names.
 */
public interface IndexStore extends AutoCloseable {
    /** The names a collection may have, in every backend: 1-64 lower-case letters, digits, '_' or '-'. */
    Pattern COLLECTION_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** @throws KeelException (invalid request) saying what a collection name may be */
    static void requireValidName(String name) {
        if (name == null || !COLLECTION_NAME.matcher(name).matches()) {
            throw KeelException.invalid("collection name '" + name + "' is invalid: use 1-64 lower-case letters, digits, "
                    + "'_' or '-', starting with a letter or digit");
        }
    }

    /**
     * Checks {@link #reindex}'s arguments: a valid name, and an embedder that is the store's own model.
     *
     * @param storeModel the model the store was opened with
     */
    static void checkReindex(String name, EmbeddingModelInfo storeModel, Embedder embedder, ReindexProgress progress) {
        requireValidName(name);
        java.util.Objects.requireNonNull(embedder, "embedder");
        java.util.Objects.requireNonNull(progress, "progress");
        EmbeddingModelInfo target = embedder.info();
        if (!target.fingerprint().equals(storeModel.fingerprint()) || target.dimensions() != storeModel.dimensions()) {
            throw KeelException.invalid("reindex needs the configured embedding model " + storeModel.fingerprint()
                    + " but was given " + target.fingerprint());
        }
    }

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
