package io.keel.index.lucene;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.document.Document;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.pipeline.RetrieveStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Document ACLs as the query pipeline enforces them: random corpora (tenants, ACL groups, open documents), random
 * authenticated callers (tenant, groups, role) and random queries in every retrieval mode, some of them naming
 * another tenant or group in their own filters. Through the retrieve stage on a real Lucene index, no hit may lie
 * outside the caller's tenant or groups. 3 seeds x 4,000 queries = 12,000 queries.
 */
class DocumentAccessPropertyTest {
    private static final int QUERIES = 4_000;
    private static final List<String> WORDS = List.of("invoice", "contract", "lucene", "vector", "budget", "holiday",
            "policy", "payroll", "merger", "roadmap", "incident", "salary", "pager", "backup", "audit", "launch");

    @TempDir
    Path dir;

    private record Owner(String tenant, Set<String> acl) {
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 23, 37})
    void noHitOutsideTheCallersTenantAndGroups(long seed) {
        Random random = new Random(seed);
        int tenants = 2 + random.nextInt(4);
        int groups = 2 + random.nextInt(6);
        Map<String, Owner> owners = new HashMap<>();
        int queriesWithHits = 0;
        long hitsChecked = 0;
        try (LuceneIndexStore store = new LuceneIndexStore(dir, Fixtures.MODEL_A, Fixtures.CONFIG)) {
            LuceneCollectionIndex index = store.collection("acl", true);
            int docs = 200 + random.nextInt(300);
            for (int i = 0; i < docs; i++) {
                String tenant = "t" + random.nextInt(tenants);
                List<String> acl = new ArrayList<>();
                int n = random.nextInt(3);             // 0: open to the whole tenant
                for (int k = 0; k < n; k++) acl.add("g" + random.nextInt(groups));
                Document d = Fixtures.doc("d" + i).tenant(tenant).acl(acl.toArray(String[]::new)).build();
                Fixtures.put(index, d, text(random, 4 + random.nextInt(8)), Fixtures.randomVector(random, Fixtures.DIMS));
                owners.put(d.id(), new Owner(tenant, Set.copyOf(acl)));
            }
            index.commit();
            RetrieveStage<Retrieval> stage = new RetrieveStage<>(store, Map.of());
            RetrievalMode[] modes = RetrievalMode.values();
            for (int q = 0; q < QUERIES; q++) {
                Set<String> mine = new HashSet<>();
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) mine.add("g" + random.nextInt(groups));
                Principal p = new Principal("keel_live_" + q, "t" + random.nextInt(tenants), null,
                        Set.of(Role.values()[random.nextInt(Role.values().length)]), mine, Set.of(), null);
                Filters asked = random.nextInt(3) == 0
                        ? Filters.of(Map.of("tenant", List.of("t" + random.nextInt(tenants)), "acl", List.of("g" + random.nextInt(groups))))
                        : Filters.NONE;
                Query query = new Query(text(random, 1 + random.nextInt(3)), 1 + random.nextInt(50), modes[random.nextInt(modes.length)],
                        asked, "acl");
                QueryRequest request = QueryRequest.start("q" + q, "/v1/retrieve", query, new Caller(p.tenant(), null, null, null, p))
                        .withVector(Fixtures.randomVector(random, Fixtures.DIMS));
                List<SearchHit> hits = stage.handle(request, new Terminal()).hits();
                if (!hits.isEmpty()) queriesWithHits++;
                for (SearchHit h : hits) {
                    Owner o = owners.get(h.documentId());
                    hitsChecked++;
                    assertThat(o.tenant()).as("tenant of %s for %s (query %d)", h.documentId(), p, q).isEqualTo(p.tenant());
                    assertThat(o.acl().isEmpty() || o.acl().stream().anyMatch(mine::contains))
                            .as("ACL %s of %s readable by groups %s (query %d)", o.acl(), h.documentId(), mine, q).isTrue();
                }
            }
        }
        assertThat(queriesWithHits).as("queries that found something: the property is not vacuous").isGreaterThan(QUERIES / 2);
        assertThat(hitsChecked).isGreaterThan(10_000);
    }

    private static String text(Random random, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) s.append(i == 0 ? "" : " ").append(WORDS.get(random.nextInt(WORDS.size())));
        return s.toString();
    }

    /** The end of the chain: the hits the stage searched. */
    private static final class Terminal implements Stage.Chain<QueryRequest, Retrieval> {
        @Override
        public QueryRequest request() {
            return null;
        }

        @Override
        public Retrieval proceed(QueryRequest r) {
            return new Retrieval(r.id(), r.hits(), r.index(), null, Lineage.EMPTY, null);
        }
    }
}
