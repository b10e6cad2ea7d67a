package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetrievalOverrideStageTest {
    private final List<Query> seen = new ArrayList<>();

    private Answer run(Variant variant, Query query) {
        Stage<QueryRequest, Answer> end = new NamedStage<>("end", "inference") {
            @Override
            public Answer handle(QueryRequest r, Chain<QueryRequest, Answer> c) {
                seen.add(r.query());
                return new Answer(r.id(), "ok", "test", List.of(), null, null, null);
            }
        };
        Pipeline<QueryRequest, Answer> p = new Pipeline<>(List.of(new VariantStage<>(request -> variant),
                new RetrievalOverrideStage<>(), end));
        return p.run(QueryRequest.start("r1", "/v1/query", query));
    }

    @Test
    void theVariantsModeAndTopKReplaceTheRequests() {
        Answer a = run(new Variant("modes", "bm25", Map.of("retrieval.mode", "bm25", "retrieval.top_k", 8)), Query.of("q", 3));
        assertThat(seen).singleElement().satisfies(q -> {
            assertThat(q.mode()).isEqualTo(RetrievalMode.BM25);
            assertThat(q.topK()).isEqualTo(8);
            assertThat(q.text()).isEqualTo("q");
        });
        assertThat(a.lineage().experiment()).isEqualTo("modes");
        assertThat(a.lineage().variant()).isEqualTo("bm25");
    }

    @Test
    void onlyTheGivenSettingChanges() {
        run(new Variant("k", "eight", Map.of("retrieval.top_k", 8)), new Query("q", 3, RetrievalMode.DENSE, null, "docs"));
        assertThat(seen.get(0)).isEqualTo(new Query("q", 8, RetrievalMode.DENSE, null, "docs"));
    }

    @Test
    void theVariantsCandidatesReachTheQueryAndKeepTheRest() {
        run(new Variant("pool", "wide", Map.of("retrieval.candidates", 400)), new Query("q", 5, RetrievalMode.DENSE, null, "docs"));
        assertThat(seen.get(0)).isEqualTo(new Query("q", 5, RetrievalMode.DENSE, null, "docs", 400));
        assertThat(seen.get(0).candidatesOr(100)).isEqualTo(400);
        assertThat(Query.of("q", 5).candidatesOr(100)).as("no override: the index's setting").isEqualTo(100);
        assertThat(new Query("q", 50, null, null, null, 20).candidatesOr(100)).as("never fewer than top_k").isEqualTo(50);
    }

    @Test
    void withoutAVariantTheRequestPassesUnchanged() {
        Query q = Query.of("q", 3);
        run(Variant.NONE, q);
        run(new Variant("p", "v2", Map.of("prompt", "rag-answer@2")), q);
        assertThat(seen).containsExactly(q, q);
    }
}
