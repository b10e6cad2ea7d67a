package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.query.Query;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowStageTest {
    private final List<RequestRecord> log = new CopyOnWriteArrayList<>();
    private final Map<String, Query> seen = new ConcurrentHashMap<>();

    private Pipeline<QueryRequest, Answer> pipeline(VariantResolver variants, CountDownLatch shadowGate) {
        Stage<QueryRequest, Answer> answer = new NamedStage<>("answer", "inference") {
            @Override
            public Answer handle(QueryRequest r, Chain<QueryRequest, Answer> c) {
                seen.put(r.id(), r.query());
                if (r.id().contains(".shadow.")) await(shadowGate);
                return new Answer(r.id(), "answer from " + r.query().mode().wireName(), "test", List.of(), null, null, null);
            }
        };
        RequestLog recording = log::add;
        return new Pipeline<>(ShadowStage.front(recording, variants, List.of(new RetrievalOverrideStage<>(), answer), StageObserver.NONE));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theCallerGetsTheLiveArmsAnswerWhileTheShadowArmRunsOnACopyAndIsRecordedApart() throws Exception {
        Variant shadow = new Variant("modes", "bm25", Map.of("retrieval.mode", "bm25"));
        Variant live = new Variant("modes", "control", Map.of(), List.of(shadow));
        CountDownLatch gate = new CountDownLatch(1);
        Answer a = pipeline(request -> live, gate).run(QueryRequest.start("r1", "/v1/query", Query.of("q", 3)));

        // answered before the shadow finished: it waits on the gate
        assertThat(a.text()).isEqualTo("answer from hybrid");
        assertThat(a.lineage().variant()).isEqualTo("control");
        gate.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (log.size() < 2 && System.nanoTime() < deadline) Thread.sleep(5);

        assertThat(log).extracting(RequestRecord::id).containsExactlyInAnyOrder("r1", "r1.shadow.bm25");
        RequestRecord copy = log.stream().filter(r -> r.id().equals("r1.shadow.bm25")).findFirst().orElseThrow();
        assertThat(copy.lineage().experiment()).isEqualTo("modes");
        assertThat(copy.lineage().variant()).isEqualTo("bm25");
        assertThat(copy.answer()).isEqualTo("answer from bm25");
        assertThat(seen.get("r1.shadow.bm25").mode().wireName()).as("the shadow arm's overrides applied").isEqualTo("bm25");
    }

    @Test
    void withoutExperimentsThereIsNoShadowStage() {
        RequestLog recording = log::add;
        assertThat(ShadowStage.front(recording, VariantResolver.NONE, List.<Stage<QueryRequest, Answer>>of(), StageObserver.NONE))
                .extracting(Stage::name).containsExactly("record", "variant");
        assertThat(ShadowStage.front(RequestLog.NONE, request -> Variant.NONE, List.<Stage<QueryRequest, Answer>>of(), StageObserver.NONE))
                .extracting(Stage::name).containsExactly("record", "variant");
    }
}
