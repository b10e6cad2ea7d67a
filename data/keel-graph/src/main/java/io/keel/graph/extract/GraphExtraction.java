package io.keel.graph.extract;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.graph.spi.DocumentGraph;
import io.keel.graph.spi.EntityIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a document's chunks into its share of the graph: the entities each chunk mentions (the document's title is
 * mentioned by every chunk of it), and co-occurrence edges weighted {@link #SENTENCE_WEIGHT} for two entities of one
 * sentence and {@link #CHUNK_WEIGHT} between the title and every other entity of a chunk (a star, not a clique: the
 * edges a chunk adds grow with its entities, not with their square). A single word of a multi-word title ("Rogers" in a document
 * titled "Carl Rogers") is taken as the title: the cheapest coreference.
 */
public final class GraphExtraction {
    public static final double SENTENCE_WEIGHT = 1.0;
    public static final double CHUNK_WEIGHT = 0.25;
    /** Entities per chunk beyond which the rarest-first tail is dropped, bounding edges per chunk. */
    static final int MAX_ENTITIES_PER_CHUNK = 40;

    private final EntityExtractor extractor;

    public GraphExtraction(EntityExtractor extractor) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
    }

    public DocumentGraph of(Document document, List<Chunk> chunks) {
        EntityExtractor.Surface title = document.title().isBlank() ? null : EntityExtractor.Surface.of(document.title());
        if (title != null && title.key().length() < 2) title = null;
        Set<String> titleWords = title == null || !title.key().contains(" ") ? Set.of() : new HashSet<>(Arrays.asList(title.key().split(" ")));
        List<DocumentGraph.Mention> mentions = new ArrayList<>();
        Map<String, DocumentGraph.Relation> relations = new LinkedHashMap<>();
        for (Chunk chunk : chunks) {
            Map<String, EntityExtractor.Surface> inChunk = new LinkedHashMap<>();
            Map<String, Integer> counts = new HashMap<>();
            if (title != null) {
                inChunk.put(title.key(), title);
                counts.merge(title.key(), 1, Integer::sum);
            }
            for (List<EntityExtractor.Surface> sentence : extractor.extract(chunk.text())) {
                List<String> keys = new ArrayList<>();
                for (EntityExtractor.Surface s : sentence) {
                    EntityExtractor.Surface resolved = titleWords.contains(s.key()) ? title : s;
                    if (inChunk.size() >= MAX_ENTITIES_PER_CHUNK && !inChunk.containsKey(resolved.key())) continue;
                    inChunk.putIfAbsent(resolved.key(), resolved);
                    counts.merge(resolved.key(), 1, Integer::sum);
                    if (!keys.contains(resolved.key())) keys.add(resolved.key());
                }
                for (int i = 0; i < keys.size(); i++) {
                    for (int j = i + 1; j < keys.size(); j++) relate(relations, keys.get(i), keys.get(j), chunk.id(), SENTENCE_WEIGHT);
                }
            }
            if (title != null) {
                for (String key : inChunk.keySet()) {
                    if (!key.equals(title.key())) relate(relations, title.key(), key, chunk.id(), CHUNK_WEIGHT);
                }
            }
            for (EntityExtractor.Surface s : inChunk.values()) {
                boolean isTitle = title != null && s.key().equals(title.key());
                mentions.add(new DocumentGraph.Mention(EntityIds.of(s.key()), s.key(), s.name(), isTitle, chunk.id(), counts.get(s.key())));
            }
        }
        return new DocumentGraph(document.id(), document.tenant(), document.acl(), mentions, List.copyOf(relations.values()));
    }

    /** Keeps the strongest weight of a pair per chunk: a sentence co-occurrence beats the chunk-wide one. */
    private static void relate(Map<String, DocumentGraph.Relation> relations, String a, String b, String chunkId, double weight) {
        DocumentGraph.Relation r = new DocumentGraph.Relation(EntityIds.of(a), EntityIds.of(b), chunkId, weight);
        String k = r.source() + "|" + r.target() + "|" + chunkId;
        DocumentGraph.Relation prev = relations.get(k);
        if (prev == null || prev.weight() < weight) relations.put(k, r);
    }
}
