package io.keel.bench.streaming;

import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.ForwardingCollectionIndex;

import java.util.Map;

/**
 * A collection that does not hand its chunk vectors back ({@link CollectionIndex#chunkVectors}'s default), so every
 * chunk of an updated document is embedded again: the baseline for {@code --no-reuse}.
 */
final class WithoutVectorReuse extends ForwardingCollectionIndex {
    WithoutVectorReuse(CollectionIndex index) {
        super(index);
    }

    @Override
    public Map<String, float[]> chunkVectors(String documentId) {
        return Map.of();
    }
}
