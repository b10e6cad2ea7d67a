package io.keel.graph.sql;

import io.keel.graph.spi.DocumentGraph;
import io.keel.graph.spi.EntityDetail;
import io.keel.graph.spi.EntitySummary;
import io.keel.graph.spi.GraphSnapshot;
import io.keel.graph.spi.GraphStore;
import io.keel.graph.spi.Visibility;
import io.keel.store.sql.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The graph in the SQL store (SQLite or PostgreSQL, the same statements on both): tables {@code graph_nodes},
 * {@code graph_mentions}, {@code graph_edges} and {@code graph_versions}, migrated as module {@code graph}. A write
 * replaces whole documents in one transaction and prunes the nodes it left without mentions.
 */
public final class SqlGraphStore implements GraphStore {
    public static final String MODULE = "graph";
    private static final String ACL_SEPARATOR = "\n";

    private final Database db;

    public SqlGraphStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate(MODULE);
    }

    @Override
    public void write(String collection, List<DocumentGraph> upserts, Collection<String> deletes) {
        if (upserts.isEmpty() && deletes.isEmpty()) return;
        db.inTransaction(c -> {
            Set<String> documents = new LinkedHashSet<>(deletes);
            for (DocumentGraph g : upserts) documents.add(g.documentId());
            Set<String> touched = new LinkedHashSet<>();
            for (String doc : documents) touched.addAll(removeDocument(c, collection, doc));
            for (DocumentGraph g : upserts) insert(c, collection, g);
            prune(c, collection, touched);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO graph_versions (collection, version) VALUES (?, 1) "
                    + "ON CONFLICT (collection) DO UPDATE SET version = graph_versions.version + 1")) {
                ps.setString(1, collection);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes a document's mentions and edge evidence; returns the entities it mentioned. */
    private static Set<String> removeDocument(Connection c, String collection, String documentId) throws SQLException {
        Set<String> entities = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT entity_id FROM graph_mentions WHERE collection = ? AND document_id = ?")) {
            ps.setString(1, collection);
            ps.setString(2, documentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) entities.add(rs.getString(1));
            }
        }
        for (String table : List.of("graph_mentions", "graph_edges")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE collection = ? AND document_id = ?")) {
                ps.setString(1, collection);
                ps.setString(2, documentId);
                ps.executeUpdate();
            }
        }
        return entities;
    }

    private static void insert(Connection c, String collection, DocumentGraph g) throws SQLException {
        String acl = String.join(ACL_SEPARATOR, g.acl());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO graph_nodes (collection, entity_id, entity_key, name, title) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection, entity_id) DO UPDATE SET title = CASE WHEN excluded.title > "
                + "graph_nodes.title THEN excluded.title ELSE graph_nodes.title END")) {
            Map<String, DocumentGraph.Mention> nodes = new LinkedHashMap<>();
            for (DocumentGraph.Mention m : g.mentions()) nodes.merge(m.entityId(), m, (a, b) -> a.title() ? a : b);
            for (DocumentGraph.Mention m : nodes.values()) {
                ps.setString(1, collection);
                ps.setString(2, m.entityId());
                ps.setString(3, m.key());
                ps.setString(4, m.name());
                ps.setInt(5, m.title() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO graph_mentions (collection, chunk_id, entity_id, document_id, "
                + "tenant, acl, mentions, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (DocumentGraph.Mention m : g.mentions()) {
                ps.setString(1, collection);
                ps.setString(2, m.chunkId());
                ps.setString(3, m.entityId());
                ps.setString(4, g.documentId());
                ps.setString(5, g.tenant());
                ps.setString(6, acl);
                ps.setInt(7, m.count());
                ps.setInt(8, m.title() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO graph_edges (collection, chunk_id, source, target, document_id, "
                + "tenant, acl, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (DocumentGraph.Relation r : g.relations()) {
                ps.setString(1, collection);
                ps.setString(2, r.chunkId());
                ps.setString(3, r.source());
                ps.setString(4, r.target());
                ps.setString(5, g.documentId());
                ps.setString(6, g.tenant());
                ps.setString(7, acl);
                ps.setDouble(8, r.weight());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void prune(Connection c, String collection, Set<String> entities) throws SQLException {
        if (entities.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM graph_nodes WHERE collection = ? AND entity_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM graph_mentions m WHERE m.collection = graph_nodes.collection AND m.entity_id = graph_nodes.entity_id)")) {
            for (String id : entities) {
                ps.setString(1, collection);
                ps.setString(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public long version(String collection) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM graph_versions WHERE collection = ?")) {
                ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public GraphSnapshot snapshot(String collection) {
        return db.inTransaction(c -> {
            long version;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM graph_versions WHERE collection = ?")) {
                ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    version = rs.next() ? rs.getLong(1) : 0L;
                }
            }
            List<GraphSnapshot.Node> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT entity_id, entity_key, name FROM graph_nodes WHERE collection = ?")) {
                ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) nodes.add(new GraphSnapshot.Node(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            List<GraphSnapshot.MentionRow> mentions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT entity_id, chunk_id, document_id, mentions, title FROM graph_mentions WHERE collection = ?")) {
                ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        mentions.add(new GraphSnapshot.MentionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5) == 1));
                    }
                }
            }
            List<GraphSnapshot.EdgeRow> edges = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source, target, SUM(weight) FROM graph_edges WHERE collection = ? "
                    + "GROUP BY source, target")) {
                ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) edges.add(new GraphSnapshot.EdgeRow(rs.getString(1), rs.getString(2), rs.getDouble(3)));
                }
            }
            return new GraphSnapshot(version, nodes, mentions, edges);
        });
    }

    @Override
    public List<String> titles(String collection) {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM graph_nodes WHERE collection = ? AND title = 1")) {
                ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public List<EntitySummary> findEntities(String collection, String query, Visibility visibility, int limit) {
        String pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.withConnection(c -> {
            Map<String, String> names = new HashMap<>();
            Map<String, Set<String>> chunks = new HashMap<>();
            String sql = "SELECT n.entity_id, n.name, m.chunk_id, m.tenant, m.acl FROM graph_nodes n JOIN graph_mentions m "
                    + "ON m.collection = n.collection AND m.entity_id = n.entity_id WHERE n.collection = ? AND n.entity_key LIKE ? ESCAPE '\\'"
                    + (visibility.unrestricted() ? "" : " AND m.tenant = ?");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, collection);
                ps.setString(2, pattern);
                if (!visibility.unrestricted()) ps.setString(3, visibility.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!visibility.allows(rs.getString(4), acl(rs.getString(5)))) continue;
                        names.put(rs.getString(1), rs.getString(2));
                        chunks.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(rs.getString(3));
                    }
                }
            }
            return chunks.entrySet().stream()
                    .map(e -> new EntitySummary(e.getKey(), names.get(e.getKey()), e.getValue().size()))
                    .sorted(Comparator.comparingInt(EntitySummary::chunks).reversed().thenComparing(EntitySummary::name))
                    .limit(limit).toList();
        });
    }

    @Override
    public Optional<EntityDetail> entity(String collection, String entityId, Visibility visibility, int limit) {
        return db.withConnection(c -> {
            String name = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM graph_nodes WHERE collection = ? AND entity_id = ?")) {
                ps.setString(1, collection);
                ps.setString(2, entityId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) name = rs.getString(1);
                }
            }
            if (name == null) return Optional.<EntityDetail>empty();
            String tenantClause = visibility.unrestricted() ? "" : " AND tenant = ?";
            List<EntityDetail.Evidence> mentions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT document_id, chunk_id, tenant, acl FROM graph_mentions "
                    + "WHERE collection = ? AND entity_id = ?" + tenantClause + " ORDER BY document_id, chunk_id")) {
                ps.setString(1, collection);
                ps.setString(2, entityId);
                if (!visibility.unrestricted()) ps.setString(3, visibility.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (visibility.allows(rs.getString(3), acl(rs.getString(4))) && mentions.size() < limit) {
                            mentions.add(new EntityDetail.Evidence(rs.getString(1), rs.getString(2)));
                        }
                    }
                }
            }
            if (mentions.isEmpty()) return Optional.<EntityDetail>empty();
            Map<String, Double> weights = new HashMap<>();
            Map<String, List<EntityDetail.Evidence>> evidence = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source, target, document_id, chunk_id, tenant, acl, weight FROM graph_edges "
                    + "WHERE collection = ? AND (source = ? OR target = ?)" + tenantClause)) {
                ps.setString(1, collection);
                ps.setString(2, entityId);
                ps.setString(3, entityId);
                if (!visibility.unrestricted()) ps.setString(4, visibility.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!visibility.allows(rs.getString(5), acl(rs.getString(6)))) continue;
                        String other = rs.getString(1).equals(entityId) ? rs.getString(2) : rs.getString(1);
                        weights.merge(other, rs.getDouble(7), Double::sum);
                        List<EntityDetail.Evidence> ev = evidence.computeIfAbsent(other, k -> new ArrayList<>());
                        if (ev.size() < 10) ev.add(new EntityDetail.Evidence(rs.getString(3), rs.getString(4)));
                    }
                }
            }
            List<String> top = weights.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit).map(Map.Entry::getKey).toList();
            Map<String, String> names = names(c, collection, top);
            List<EntityDetail.Neighbour> neighbours = new ArrayList<>();
            for (String id : top) neighbours.add(new EntityDetail.Neighbour(id, names.getOrDefault(id, id), weights.get(id), evidence.get(id)));
            return Optional.of(new EntityDetail(entityId, name, mentions, neighbours));
        });
    }

    private static Map<String, String> names(Connection c, String collection, List<String> ids) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM graph_nodes WHERE collection = ? AND entity_id = ?")) {
            for (String id : ids) {
                ps.setString(1, collection);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) out.put(id, rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<String> acl(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(ACL_SEPARATOR));
    }

    /** The database belongs to the instance; nothing of its own to close. */
    @Override
    public void close() {
    }
}
