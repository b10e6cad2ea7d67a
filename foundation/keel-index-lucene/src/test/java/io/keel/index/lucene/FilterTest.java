package io.keel.index.lucene;

import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.keel.index.lucene.Fixtures.axis;
import static io.keel.index.lucene.Fixtures.doc;
import static io.keel.index.lucene.Fixtures.near;
import static io.keel.index.lucene.Fixtures.put;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters run inside the search. The corpus is built so that post-filtering could not work: 380 "acme" chunks sit
 * next to the query (in vector space and in words), and the 20 "globex" chunks are far away. A filter on globex
 * must still fill top_k with globex chunks only.
 */
class FilterTest {
    private static final String QUERY = "lucene vector search";
    private static final int GLOBEX = 20;

    @TempDir
    static Path dataDir;
    private static LuceneIndexStore store;
    private static LuceneCollectionIndex index;

    @BeforeAll
    static void corpus() {
        store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG);
        index = store.collection("filters", true);
        Random random = new Random(42);
        for (int i = 0; i < 380; i++) {
            Document d = doc("acme-" + i).tenant("acme").metadata(Map.of("team", "search")).acl("group:acme").build();
            put(index, d, "lucene vector search, lucene vector search: tuning HNSW for search " + i, near(0, 0.3, random));
        }
        for (int i = 0; i < GLOBEX; i++) {
            Document d = doc("globex-" + i).tenant("globex").source("ops/globex-" + i + ".txt").mediaType("text/plain")
                    .metadata(Map.of("team", "ops")).acl(i % 2 == 0 ? new String[] {"alice"} : new String[0]).build();
            put(index, d, "an operations runbook that mentions lucene once among disks, backups and pagers " + i,
                    near(1, 0.3, random));
        }
        index.commit();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void theCorpusDefeatsPostFiltering() {
        List<SearchHit> unfiltered = index.search(new Query(QUERY, 100, RetrievalMode.DENSE, Filters.NONE, "filters"), axis(0));
        assertThat(unfiltered).hasSize(100).noneMatch(h -> h.documentId().startsWith("globex"));
        List<SearchHit> bm25 = index.search(new Query(QUERY, 100, RetrievalMode.BM25, Filters.NONE, "filters"), null);
        assertThat(bm25).hasSize(100).noneMatch(h -> h.documentId().startsWith("globex"));
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void aSelectiveFilterStillFillsTopK(RetrievalMode mode) {
        List<SearchHit> hits = search(mode, 10, Map.of("tenant", List.of("globex")));
        assertThat(hits).hasSize(10).allMatch(h -> h.documentId().startsWith("globex-"));
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void returnsEveryMatchWhenFewerThanTopK(RetrievalMode mode) {
        List<SearchHit> hits = search(mode, 50, Map.of("team", List.of("ops")));
        assertThat(hits).hasSize(GLOBEX).allMatch(h -> h.metadata().get("team").equals("ops"));
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void everyBuiltInFieldFilters(RetrievalMode mode) {
        assertThat(search(mode, 10, Map.of("document_id", List.of("globex-3", "acme-7"))))
                .extracting(SearchHit::documentId).containsExactlyInAnyOrder("globex-3", "acme-7");
        assertThat(search(mode, 10, Map.of("source", List.of("ops/globex-5.txt"))))
                .extracting(SearchHit::source).containsExactly("ops/globex-5.txt");
        assertThat(search(mode, 30, Map.of("media_type", List.of("text/plain"))))
                .hasSize(GLOBEX).allMatch(h -> h.documentId().startsWith("globex-"));
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void fieldsCombineWithAndValuesWithOr(RetrievalMode mode) {
        List<SearchHit> hits = search(mode, 10, Map.of(
                "tenant", List.of("globex", "initech"),
                "document_id", List.of("globex-1", "globex-2", "acme-1")));
        assertThat(hits).extracting(SearchHit::documentId).containsExactlyInAnyOrder("globex-1", "globex-2");
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void aclMatchesNamedPrincipalsAndOpenDocuments(RetrievalMode mode) {
        // globex: even ids are readable by alice only, odd ids have an empty ACL (everyone in the tenant)
        List<SearchHit> alice = search(mode, 50, Map.of("tenant", List.of("globex"), "acl", List.of("alice")));
        assertThat(alice).hasSize(GLOBEX);
        List<SearchHit> bob = search(mode, 50, Map.of("tenant", List.of("globex"), "acl", List.of("bob")));
        assertThat(bob).hasSize(GLOBEX / 2)
                .allMatch(h -> Integer.parseInt(h.documentId().substring("globex-".length())) % 2 == 1);
        List<SearchHit> acme = search(mode, 50, Map.of("tenant", List.of("globex"), "acl", List.of("group:acme")));
        assertThat(acme).extracting(SearchHit::documentId).containsExactlyInAnyOrderElementsOf(bob.stream().map(SearchHit::documentId).toList());
    }

    @ParameterizedTest
    @EnumSource(RetrievalMode.class)
    void anUnknownValueMatchesNothing(RetrievalMode mode) {
        assertThat(search(mode, 10, Map.of("tenant", List.of("nobody")))).isEmpty();
        assertThat(search(mode, 10, Map.of("no_such_key", List.of("x")))).isEmpty();
    }

    private static List<SearchHit> search(RetrievalMode mode, int topK, Map<String, List<String>> filters) {
        return index.search(new Query(QUERY, topK, mode, Filters.of(filters), "filters"), axis(0));
    }
}
