package io.keel.core.spi;

import io.keel.core.config.ConfigNode;

/**
 * Builds the {@link IndexStore} that {@code index.backend} names ({@code lucene} by default). A backend module lists
 * its factory in {@code META-INF/services/io.keel.core.spi.IndexStoreFactory}; its stores should pass the
 * {@code CollectionIndexContractTest} suite of {@code keel-test} (see docs/index.md).
 *
 * @since 0.1
 */
public interface IndexStoreFactory extends BackendFactory {
    /**
     * Reads and checks this backend's keys of the {@code index:} section without opening anything, so that a bad
     * value or an unknown key fails when the configuration loads. Every key the backend knows must be read here.
     *
     * @throws io.keel.core.error.KeelException (invalid request) naming the key and the problem
     */
    void validate(ConfigNode section);

    /**
     * Opens the store.
     *
     * @throws io.keel.core.error.KeelException (invalid request) for bad settings or a model the backend cannot hold,
     *                                           (unavailable) when the storage cannot be reached
     */
    IndexStore open(IndexStoreContext context);
}
