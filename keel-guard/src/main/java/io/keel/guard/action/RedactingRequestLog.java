package io.keel.guard.action;

import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.List;
import java.util.Objects;

/**
 * A {@link RequestLog} that redacts the free-text fields of every record (question, answer, error, the frozen
 * context) before passing it on,
 * so the log behind it never receives raw PII or secrets.
 */
public final class RedactingRequestLog implements RequestLog {
    private final RequestLog delegate;
    private final Redactor redactor;

    public RedactingRequestLog(RequestLog delegate, Redactor redactor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    public RedactingRequestLog(RequestLog delegate) {
        this(delegate, Redactor.forLogs());
    }

    @Override
    public void record(RequestRecord r) {
        List<RequestRecord.ContextChunk> context = r.context().stream()
                .map(c -> new RequestRecord.ContextChunk(c.chunkId(), c.documentId(), c.score(), redactor.redact(c.text())))
                .toList();
        delegate.record(r.withText(redactor.redact(r.question()), redactor.redact(r.answer()), redactor.redact(r.error()), context));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
