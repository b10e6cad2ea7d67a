package io.keel.graph.spi;

import java.util.List;

/**
 * One entity: the visible chunks that mention it and its neighbours, strongest first, each with the visible chunks that
 * are evidence for the edge.
 */
public record EntityDetail(String id, String name, List<Evidence> mentions, List<Neighbour> neighbours) {
    public EntityDetail {
        mentions = List.copyOf(mentions);
        neighbours = List.copyOf(neighbours);
    }

    /** A chunk that is evidence for a node or an edge. */
    public record Evidence(String documentId, String chunkId) {
    }

    /** @param weight the summed co-occurrence weight over the visible evidence */
    public record Neighbour(String id, String name, double weight, List<Evidence> evidence) {
        public Neighbour {
            evidence = List.copyOf(evidence);
        }
    }
}
