package io.keel.core.security;

import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.Objects;

/**
 * Counts the tokens of every finished request (chat, RAG generation, embeddings: whatever the request log records as
 * usage) against its credential's tokens-per-minute limit.
 */
public final class TokenMeter implements RequestLog {
    private final KeyLimiter limiter;

    public TokenMeter(KeyLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    public void record(RequestRecord record) {
        Principal p = record.caller().principal();
        if (p != null) limiter.countTokens(p, record.usage().totalTokens());
    }
}
