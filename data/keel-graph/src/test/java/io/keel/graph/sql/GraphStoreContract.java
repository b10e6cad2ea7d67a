package io.keel.graph.sql;

import io.keel.graph.spi.DocumentGraph;
import io.keel.graph.spi.EntityDetail;
import io.keel.graph.spi.EntityIds;
import io.keel.graph.spi.EntitySummary;
import io.keel.graph.spi.GraphSnapshot;
import io.keel.graph.spi.GraphStore;
import io.keel.graph.spi.Visibility;
import io.keel.store.sql.Database;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The graph store's incremental semantics, run on each SQL dialect by a subclass naming its engine. */
abstract class GraphStoreContract {
    @TempDir
    Path dir;
    private TestDatabase testDb;
    private Database db;
    private GraphStore store;

    protected abstract TestDatabase.Engine engine();

    @BeforeEach
    void open() {
        testDb = TestDatabase.create(engine(), dir);
        db = testDb.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(testDb.sqliteFile())
                : Database.postgres(testDb.jdbcUrl(), TestDatabase.PG_USER, null, 4);
        store = new SqlGraphStore(db);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
        testDb.close();
    }

    /** A document whose chunk {@code doc#0} mentions {@code entities} and relates each consecutive pair. */
    static DocumentGraph doc(String id, String tenant, List<String> acl, String... entities) {
        List<DocumentGraph.Mention> mentions = new ArrayList<>();
        List<DocumentGraph.Relation> relations = new ArrayList<>();
        for (int i = 0; i < entities.length; i++) {
            mentions.add(new DocumentGraph.Mention(EntityIds.of(entities[i]), entities[i], entities[i].toUpperCase(), false, id + "#0", 1));
            if (i > 0) relations.add(new DocumentGraph.Relation(EntityIds.of(entities[i - 1]), EntityIds.of(entities[i]), id + "#0", 1.0));
        }
        return new DocumentGraph(id, tenant, acl, mentions, relations);
    }

    static DocumentGraph doc(String id, String... entities) {
        return doc(id, "default", List.of(), entities);
    }

    private Set<String> nodes(String collection) {
        return store.snapshot(collection).nodes().stream().map(GraphSnapshot.Node::key).collect(Collectors.toSet());
    }

    private Set<String> edges(String collection) {
        GraphSnapshot s = store.snapshot(collection);
        var keys = s.nodes().stream().collect(Collectors.toMap(GraphSnapshot.Node::id, GraphSnapshot.Node::key));
        return s.edges().stream().map(e -> {
            String a = keys.get(e.source());
            String b = keys.get(e.target());
            return (a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a) + "=" + e.weight();
        }).collect(Collectors.toSet());
    }

    @Test
    void edgesSumTheirEvidenceAcrossDocuments() {
        store.write("c", List.of(doc("a", "x", "y"), doc("b", "x", "y", "z")), List.of());
        assertThat(nodes("c")).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(edges("c")).containsExactlyInAnyOrder("x-y=2.0", "y-z=1.0");
        assertThat(store.snapshot("c").mentions()).hasSize(5);
        assertThat(nodes("other")).isEmpty();
    }

    @Test
    void aChangedDocumentReplacesOnlyItsOwnMentionsAndEdges() {
        store.write("c", List.of(doc("a", "x", "y"), doc("b", "y", "z")), List.of());
        long before = store.version("c");
        var bRows = store.snapshot("c").mentions().stream().filter(m -> m.documentId().equals("b")).toList();

        store.write("c", List.of(doc("a", "x", "w")), List.of());

        assertThat(store.version("c")).isGreaterThan(before);
        assertThat(nodes("c")).containsExactlyInAnyOrder("x", "w", "y", "z"); // y stays: b still mentions it
        assertThat(edges("c")).containsExactlyInAnyOrder("w-x=1.0", "y-z=1.0");
        assertThat(store.snapshot("c").mentions().stream().filter(m -> m.documentId().equals("b")).toList()).isEqualTo(bRows);
    }

    @Test
    void aDeletedDocumentLeavesNoEvidenceAndOrphansAreRemoved() {
        store.write("c", List.of(doc("a", "x", "y"), doc("b", "y", "z")), List.of());
        store.write("c", List.of(), List.of("b"));

        assertThat(nodes("c")).containsExactlyInAnyOrder("x", "y");
        assertThat(edges("c")).containsExactly("x-y=1.0");
        assertThat(store.snapshot("c").mentions()).allSatisfy(m -> assertThat(m.documentId()).isEqualTo("a"));
        assertThat(store.entity("c", EntityIds.of("z"), Visibility.ALL, 10)).isEmpty();

        store.write("c", List.of(), List.of("a", "never-written"));
        GraphSnapshot empty = store.snapshot("c");
        assertThat(empty.nodes()).isEmpty();
        assertThat(empty.mentions()).isEmpty();
        assertThat(empty.edges()).isEmpty();
        assertThat(store.titles("c")).isEmpty();
    }

    @Test
    void entityEvidenceShowsOnlyDocumentsTheCallerMayRead() {
        store.write("c", List.of(
                doc("open", "t1", List.of(), "acme", "paris"),
                doc("hr", "t1", List.of("hr"), "acme", "salaries"),
                doc("other", "t2", List.of(), "acme", "berlin")), List.of());
        Visibility staff = new Visibility("t1", Set.of("staff"));
        Visibility hr = new Visibility("t1", Set.of("hr"));

        assertThat(store.findEntities("c", "acm", Visibility.ALL, 10)).containsExactly(new EntitySummary(EntityIds.of("acme"), "ACME", 3));
        assertThat(store.findEntities("c", "acm", staff, 10)).containsExactly(new EntitySummary(EntityIds.of("acme"), "ACME", 1));
        assertThat(store.findEntities("c", "salar", staff, 10)).isEmpty();
        assertThat(store.findEntities("c", "salar", hr, 10)).hasSize(1);
        assertThat(store.findEntities("c", "%", Visibility.ALL, 10)).isEmpty(); // LIKE wildcards are literal

        EntityDetail seen = store.entity("c", EntityIds.of("acme"), staff, 10).orElseThrow();
        assertThat(seen.mentions()).containsExactly(new EntityDetail.Evidence("open", "open#0"));
        assertThat(seen.neighbours()).extracting(EntityDetail.Neighbour::name).containsExactly("PARIS");
        assertThat(seen.neighbours().getFirst().evidence()).containsExactly(new EntityDetail.Evidence("open", "open#0"));

        EntityDetail all = store.entity("c", EntityIds.of("acme"), hr, 10).orElseThrow();
        assertThat(all.neighbours()).extracting(EntityDetail.Neighbour::name).containsExactlyInAnyOrder("PARIS", "SALARIES");
        assertThat(store.entity("c", EntityIds.of("berlin"), staff, 10)).isEmpty();
        assertThat(store.entity("c", EntityIds.of("berlin"), new Visibility("t2", Set.of()), 10)).isPresent();
    }

    @Test
    void titlesAreTheKnownEntityDictionary() {
        DocumentGraph g = new DocumentGraph("a", "default", List.of(), List.of(
                new DocumentGraph.Mention(EntityIds.of("carl rogers"), "carl rogers", "Carl Rogers", true, "a#0", 1),
                new DocumentGraph.Mention(EntityIds.of("oak park"), "oak park", "Oak Park", false, "a#0", 1)), List.of());
        store.write("c", List.of(g), List.of());
        store.write("c", List.of(doc("b", "carl rogers")), List.of()); // a later plain mention keeps the title flag
        assertThat(store.titles("c")).containsExactly("Carl Rogers");
    }

    @Test
    void theExtractionCacheKeepsTheFirstAnswerForEachChunkHash() {
        SqlExtractionCache cache = new SqlExtractionCache(db);
        assertThat(cache.get(List.of("h1", "h2"))).isEmpty();
        cache.put(java.util.Map.of("h1", "{\"entities\":[\"A\"],\"relations\":[]}"));
        cache.put(java.util.Map.of("h1", "{\"entities\":[\"B\"],\"relations\":[]}", "h2", "{\"entities\":[],\"relations\":[]}"));
        assertThat(cache.get(List.of("h1", "h2", "h3")))
                .as("an entry already kept stays as it was").containsOnlyKeys("h1", "h2")
                .containsEntry("h1", "{\"entities\":[\"A\"],\"relations\":[]}");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 450; i++) many.add("x" + i);
        cache.put(many.stream().collect(Collectors.toMap(h -> h, h -> "{}")));
        assertThat(cache.get(many)).as("looked up in several statements").hasSize(450);
    }
}
