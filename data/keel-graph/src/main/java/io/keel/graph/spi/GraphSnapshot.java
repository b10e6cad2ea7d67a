package io.keel.graph.spi;

import java.util.List;

/**
 * A collection's graph as ranking needs it, read in one pass: entity nodes, chunk mentions and aggregated edges.
 *
 * @param version the {@link GraphStore#version} the snapshot was read at
 */
public record GraphSnapshot(long version, List<Node> nodes, List<MentionRow> mentions, List<EdgeRow> edges) {
    public GraphSnapshot {
        nodes = List.copyOf(nodes);
        mentions = List.copyOf(mentions);
        edges = List.copyOf(edges);
    }

    public static GraphSnapshot empty() {
        return new GraphSnapshot(0, List.of(), List.of(), List.of());
    }

    public record Node(String id, String key, String name) {
    }

    /** @param title whether the entity is the title of the chunk's document: the chunk is about it */
    public record MentionRow(String entityId, String chunkId, String documentId, int count, boolean title) {
    }

    public record EdgeRow(String source, String target, double weight) {
    }
}
