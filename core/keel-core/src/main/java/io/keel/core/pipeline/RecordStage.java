package io.keel.core.pipeline;

import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ForwardingStreamListener;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamListener;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Outermost stage of every route: writes one request-log record per request, failed ones included. A whole response is
 * recorded when it comes back; a streamed one when its stream ends (with what the client received), or fails. It
 * records the timings as seen when the inner stages finished, plus the total.
 */
public final class RecordStage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> extends NamedStage<Q, A> {
    private final RequestLog log;
    private final LongSupplier nanoTime;

    public RecordStage(RequestLog log) {
        this(log, System::nanoTime);
    }

    /** @param nanoTime the clock the recorded total is read from (the pipeline's; tests inject their own) */
    public RecordStage(RequestLog log, LongSupplier nanoTime) {
        super("record", "record");
        this.log = Objects.requireNonNull(log, "log");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public A handle(Q request, Chain<Q, A> chain) {
        if (log == RequestLog.NONE) return chain.proceed(request); // nothing would keep the record: don't build it
        long start = nanoTime.getAsLong();
        A answer;
        try {
            answer = chain.proceed(request);
        } catch (RuntimeException e) {
            String status = e instanceof KeelException k ? k.code().wireName() : ErrorCode.INTERNAL.wireName();
            write(record(request).failed(status, e.getMessage()).timings(timings(request, start)));
            throw e;
        }
        if (answer.stream() != null) {
            A started = answer;
            return answer.withStream(answer.stream().through(next -> new Recording(request, started, start, next)));
        }
        write(done(request, answer, start));
        return answer;
    }

    private RequestRecord.Builder record(Q request) {
        String question = request.guardedText();
        return RequestRecord.builder(request.id(), request.route()).time(request.received()).caller(request.caller())
                .question(question == null ? "" : question).findings(request.trail().findingTypes());
    }

    private RequestRecord.Builder done(Q request, A answer, long start) {
        RequestRecord.Builder b = record(request).status(answer.status()).usage(answer.usage())
                .timings(timings(request, start)).lineage(answer.lineage());
        answer.describe(b);
        return b.context(frozen(request.trail().context())).findings(request.trail().findingTypes());
    }

    private void write(RequestRecord.Builder record) {
        if (log == RequestLog.NONE) return;
        try {
            log.record(record.build());
        } catch (RuntimeException ignored) {
            // the request log must not fail a served request
        }
    }

    private static List<RequestRecord.ContextChunk> frozen(List<SearchHit> context) {
        return context.stream().map(h -> new RequestRecord.ContextChunk(h.chunkId(), h.documentId(), h.score(), h.text())).toList();
    }

    /** The stages' times so far plus the total, which the pipeline only adds after this outermost stage returns. */
    private Timings timings(RouteRequest<?> request, long start) {
        Map<String, Long> nanos = new LinkedHashMap<>(request.timings().snapshot().nanos());
        nanos.put(Timings.TOTAL, nanoTime.getAsLong() - start);
        return new Timings(nanos);
    }

    /** Records a stream when it ends: after the client was sent its last event, so a client gone then is recorded too. */
    private final class Recording extends ForwardingStreamListener {
        private final Q request;
        private final A answer;
        private final long start;
        private final StringBuilder delivered = new StringBuilder();

        Recording(Q request, A answer, long start, StreamListener next) {
            super(next);
            this.request = request;
            this.answer = answer;
            this.start = start;
        }

        @Override
        public void onToken(String token) {
            next.onToken(token);
            delivered.append(token);
        }

        @Override
        public void onComplete(ChatResponse response) {
            A finished = answer.streamed(response, delivered.toString());
            try {
                next.onComplete(response);
            } catch (RuntimeException e) {
                // the stream has ended either way: what failed is the delivery of its last events
                String why = e instanceof UncheckedIOException ? "client went away: " + e.getMessage() : e.toString();
                write(done(request, finished, start).failed(ErrorCode.UPSTREAM_ERROR.wireName(), why));
                return;
            }
            write(done(request, finished, start));
        }

        /** Recorded before the client is told, so the record exists once the client sees the failure. */
        @Override
        public void onError(Throwable error) {
            try {
                KeelException e = error instanceof KeelException k ? k
                        : new KeelException(ErrorCode.INTERNAL, "stream failed: " + error.getClass().getSimpleName());
                String status = e instanceof StreamFailedException sf ? sf.upstreamCode().wireName() : e.code().wireName();
                ChatResponse partial = e instanceof StreamFailedException sf ? sf.partial() : null;
                Usage usage = partial != null && partial.usage() != null ? partial.usage() : Usage.ZERO;
                A failed = partial != null && partial.model() != null
                        ? answer.streamed(partial.withUsage(usage), delivered.toString()) : answer.streamed(null, delivered.toString());
                write(done(request, failed, start).usage(usage).failed(status, e.getMessage()));
            } finally {
                next.onError(error);
            }
        }
    }
}
