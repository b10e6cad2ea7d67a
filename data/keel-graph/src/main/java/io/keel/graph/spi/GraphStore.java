package io.keel.graph.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where the entity graph of each collection lives. Everything is kept per document: a node exists while some chunk
 * mentions it, an edge while some chunk is evidence for it, so replacing or deleting one document touches only that
 * document's rows, and a node or edge whose last evidence went is gone.
 */
public interface GraphStore extends AutoCloseable {

    /**
     * Replaces the graph rows of every document in {@code upserts} and removes those of {@code deletes}, in one
     * transaction; then removes the nodes left without mentions.
     */
    void write(String collection, List<DocumentGraph> upserts, Collection<String> deletes);

    /** A number that changes whenever the collection's graph changes (0 for an empty or unknown collection). */
    long version(String collection);

    /** The whole graph of a collection, aggregated, for ranking: nodes, mentions and edges with summed weights. */
    GraphSnapshot snapshot(String collection);

    /** The names of the collection's document-title entities (the known-entity dictionary of the extractor). */
    List<String> titles(String collection);

    /**
     * Entities whose name contains {@code query} (case-insensitive), most mentioned first, counting only mentions the
     * caller may see; entities with no visible mention are not returned.
     */
    List<EntitySummary> findEntities(String collection, String query, Visibility visibility, int limit);

    /** One entity with its visible mentions and its neighbours with their visible evidence; empty when none is visible. */
    Optional<EntityDetail> entity(String collection, String entityId, Visibility visibility, int limit);

    @Override
    void close();
}
