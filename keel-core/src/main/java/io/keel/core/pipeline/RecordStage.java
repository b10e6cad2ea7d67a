package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Usage;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.Objects;

/**
 * Outermost stage: writes one request-log record per request, failed ones included. It records the answer's
 * timings as seen when the inner stages finished.
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
        try {
            Answer answer = chain.proceed(request);
            log.record(new RequestRecord(request.id(), request.received(), request.route(), request.query().text(), "ok", null,
                    answer.usage(), request.timings().snapshot(), answer.lineage(),
                    answer.citations().stream().map(Citation::chunkId).toList()));
            return answer;
        } catch (RuntimeException e) {
            String status = e instanceof KeelException k ? k.code().wireName() : ErrorCode.INTERNAL.wireName();
            log.record(new RequestRecord(request.id(), request.received(), request.route(), request.query().text(), status,
                    e.getMessage(), Usage.ZERO, request.timings().snapshot(), null, null));
            throw e;
        }
    }
}
