package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.IndexStoreFactory;

import java.util.Objects;

/**
 * The {@code index:} section: {@code index.backend} names the index store ({@code lucene}, the default), whose
 * factory reads and checks the rest of the section when the configuration loads (see docs/index.md).
 *
 * @param backend the backend's name
 * @param factory the backend's factory, found through {@link Backends#find}
 * @param section the whole {@code index:} section, handed to the factory when the store opens
 */
public record IndexConfig(String backend, IndexStoreFactory factory, ConfigNode section) {
    public static final String DEFAULT_BACKEND = "lucene";

    public IndexConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(section, "section");
    }

    static IndexConfig from(ConfigNode n) {
        String backend = n.string("backend", DEFAULT_BACKEND).strip();
        IndexStoreFactory factory = Backends.find(IndexStoreFactory.class, backend, n.path() + ".backend");
        factory.validate(n);
        return new IndexConfig(backend, factory, n);
    }
}
