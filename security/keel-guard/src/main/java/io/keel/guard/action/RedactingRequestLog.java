package io.keel.guard.action;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.List;
import java.util.Objects;

/**
 * A {@link RequestLog} that redacts the free-text fields of every record (question, answer, error, the frozen
 * context) before passing it on, so the log behind it never receives raw PII or secrets.
 *
 * <p>Context chunks come from the index and recur across requests, so their redactions are cached (by text, up to
 * {@value #CONTEXT_CACHE_CHARS} characters): a popular chunk is redacted once, not once per answer that cites it.
 */
public final class RedactingRequestLog implements RequestLog {
    static final long CONTEXT_CACHE_CHARS = 8_000_000;

    private final RequestLog delegate;
    private final Redactor redactor;
    private final Cache<String, String> contextRedactions = Caffeine.newBuilder()
            .maximumWeight(CONTEXT_CACHE_CHARS)
            .weigher((String text, String redacted) -> text.length() + redacted.length())
            .build();

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
                .map(c -> new RequestRecord.ContextChunk(c.chunkId(), c.documentId(), c.score(), redactContext(c.text())))
                .toList();
        delegate.record(r.withText(redactor.redact(r.question()), redactor.redact(r.answer()), redactor.redact(r.error()), context));
    }

    private String redactContext(String text) {
        return text == null ? null : contextRedactions.get(text, redactor::redact);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
