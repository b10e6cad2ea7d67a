package io.keel.core.spi;

import java.util.List;

/** All collections of one Keel data directory (or database). */
public interface IndexStore extends AutoCloseable {
    /** Opens a collection, creating it when {@code create} is true. */
    CollectionIndex collection(String name, boolean create);

    List<String> collections();

    @Override
    void close();
}
