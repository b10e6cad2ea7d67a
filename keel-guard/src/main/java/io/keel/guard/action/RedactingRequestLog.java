package io.keel.guard.action;

import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.Objects;

/**
 * A {@link RequestLog} that redacts the free-text fields of every record (question, error) before passing it on,
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
        delegate.record(new RequestRecord(r.id(), r.time(), r.route(), redactor.redact(r.question()), r.status(),
                redactor.redact(r.error()), r.usage(), r.timings(), r.lineage(), r.citations()));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
