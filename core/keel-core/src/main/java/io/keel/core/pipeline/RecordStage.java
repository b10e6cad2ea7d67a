package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Outermost stage: writes one request-log record per request, failed ones included, and stamps the guard policy
 * version on the answer's lineage. It records the timings as seen when the inner stages finished.
 */
public final class RecordStage implements Stage {
    private final RequestLog log;

    public RecordStage(RequestLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public String timingKey() {
        return "record";
    }

    @Override
    public Answer handle(QueryRequest request, Chain chain) {
        RequestRecord.Builder record = RequestRecord.builder(request.id(), request.route())
                .time(request.received()).caller(request.caller()).question(request.query().text());
        long start = System.nanoTime();
        try {
            Answer answer = chain.proceed(request);
            Trail trail = request.trail();
            Lineage lineage = answer.lineage() == null || trail.policyVersion() == null
                    ? answer.lineage() : answer.lineage().withGuardPolicy(trail.policyVersion());
            answer = answer.withLineage(lineage);
            log.record(record.status(answer.generator().startsWith("guard:") ? "blocked" : "ok")
                    .answer(answer.text()).usage(answer.usage()).timings(timings(request, start)).lineage(lineage)
                    .citations(answer.citations().stream().map(Citation::chunkId).toList())
                    .context(frozen(trail.context())).findings(trail.findingTypes()).quality(answer.quality())
                    .build());
            return answer;
        } catch (RuntimeException e) {
            String status = e instanceof KeelException k ? k.code().wireName() : ErrorCode.INTERNAL.wireName();
            log.record(record.failed(status, e.getMessage()).timings(timings(request, start))
                    .findings(request.trail().findingTypes()).build());
            throw e;
        }
    }

    /** The stages' times so far plus the total, which the pipeline only adds after this outermost stage returns. */
    private static Timings timings(QueryRequest request, long start) {
        Map<String, Long> nanos = new LinkedHashMap<>(request.timings().snapshot().nanos());
        nanos.put(Timings.TOTAL, System.nanoTime() - start);
        return new Timings(nanos);
    }

    private static List<RequestRecord.ContextChunk> frozen(List<SearchHit> context) {
        return context.stream().map(h -> new RequestRecord.ContextChunk(h.chunkId(), h.documentId(), h.score(), h.text())).toList();
    }
}
