package io.keel.graph.spi;

import java.util.List;
import java.util.Objects;

/**
 * What one document contributes to its collection's graph.
 *
 * @param tenant    the document's tenant, copied to every row so evidence is filtered by who may read it
 * @param acl       the document's ACL groups (empty: everyone in the tenant)
 * @param mentions  entities mentioned, per chunk
 * @param relations co-occurrence edges, per evidence chunk
 */
public record DocumentGraph(String documentId, String tenant, List<String> acl, List<Mention> mentions,
                            List<Relation> relations) {
    public DocumentGraph {
        Objects.requireNonNull(documentId, "documentId");
        tenant = tenant == null ? "default" : tenant;
        acl = List.copyOf(acl == null ? List.of() : acl);
        mentions = List.copyOf(mentions);
        relations = List.copyOf(relations);
    }

    /**
     * An entity mentioned in a chunk.
     *
     * @param entityId stable id of the entity ({@link EntityIds#of(String)} of its key)
     * @param key      the normalised name every alias of the entity maps to
     * @param name     the name as first written
     * @param title    whether the entity is the title of a document (the known-entity dictionary)
     * @param count    how many times the chunk mentions it
     */
    public record Mention(String entityId, String key, String name, boolean title, String chunkId, int count) {
    }

    /** An undirected co-occurrence edge ({@code source < target}) with its weight from one evidence chunk. */
    public record Relation(String source, String target, String chunkId, double weight) {
        public Relation {
            if (source.compareTo(target) > 0) {
                String s = source;
                source = target;
                target = s;
            }
        }
    }
}
