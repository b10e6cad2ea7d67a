package io.keel.core.security;

import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.util.Objects;

/**
 * Counts the tokens of every finished request (chat, RAG generation, embeddings: whatever the request log records as
 * usage) against its credential's tokens-per-minute limit.
 */
public final class TokenMeter implements RequestLog {
    private static final System.Logger LOG = System.getLogger(TokenMeter.class.getName());

    private final KeyLimiter limiter;

    public TokenMeter(KeyLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    public void record(RequestRecord record) {
        Principal p = record.caller().principal();
        if (p == null) return;
        try {
            limiter.countTokens(p, record.usage().totalTokens());
        } catch (RuntimeException e) {
            // the request has been answered; a store that cannot count now must not turn it into a failure
            LOG.log(System.Logger.Level.WARNING, "counting " + record.usage().totalTokens() + " tokens of " + p.id()
                    + " failed: " + e.getMessage());
        }
    }
}
