package io.keel.core.security;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KeyLimiter} over {@link MemoryRateWindows}: each limit, its message and its Retry-After. */
class KeyLimiterTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T03:00:45Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private static Principal key(String id, Principal.Limits limits) {
        return new Principal(id, "acme", null, Set.of(Role.APP), Set.of(), Set.of(), limits);
    }

    @Test
    void theDefaultRateAppliesToKeysWithoutOneAndTheWindowEndsAtTheMinute() {
        KeyLimiter limiter = new KeyLimiter(new MemoryRateWindows(), 2, clock);
        Principal p = key("k1", Principal.Limits.NONE);
        limiter.admit(p).close();
        limiter.admit(p).close();
        assertThatThrownBy(() -> limiter.admit(p)).isInstanceOf(LimitExceededException.class)
                .satisfies(e -> {
                    assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(((KeelException) e).waitBeforeRetry()).isEqualTo(Duration.ofSeconds(15));
                });
        now.set(now.get().plusSeconds(15));
        limiter.admit(p).close();
        Principal own = key("k2", new Principal.Limits(5));
        for (int i = 0; i < 5; i++) limiter.admit(own).close();
        assertThatThrownBy(() -> limiter.admit(own)).hasMessageContaining("5 requests per minute");
    }

    @Test
    void parallelSlotsAreHeldUntilClosedAndFreedOnce() {
        KeyLimiter limiter = new KeyLimiter(new MemoryRateWindows(), 0, clock);
        Principal p = key("k3", new Principal.Limits(0, 0, 2, null, Set.of(), Set.of()));
        KeyLimiter.Permit a = limiter.admit(p);
        KeyLimiter.Permit b = limiter.admit(p);
        assertThatThrownBy(() -> limiter.admit(p)).isInstanceOf(LimitExceededException.class).hasMessageContaining("max_parallel");
        assertThat(limiter.inFlight("k3")).isEqualTo(2);
        a.close();
        a.close();
        assertThat(limiter.inFlight("k3")).isEqualTo(1);
        limiter.admit(p).close();
        b.close();
        assertThat(limiter.inFlight("k3")).isZero();
    }

    @Test
    void aRefusedRequestGivesItsParallelSlotBack() {
        KeyLimiter limiter = new KeyLimiter(new MemoryRateWindows(), 0, clock);
        Principal p = key("k4", new Principal.Limits(1, 0, 1, null, Set.of(), Set.of()));
        limiter.admit(p).close();
        assertThatThrownBy(() -> limiter.admit(p)).hasMessageContaining("1 requests per minute");
        assertThat(limiter.inFlight("k4")).isZero();
    }

    @Test
    void tokensAreCountedFromTheRequestLogAndRefuseTheNextRequest() {
        KeyLimiter limiter = new KeyLimiter(new MemoryRateWindows(), 0, clock);
        Principal p = key("k5", new Principal.Limits(0, 100, 0, null, Set.of(), Set.of()));
        TokenMeter meter = new TokenMeter(limiter);
        limiter.admit(p).close();
        meter.record(RequestRecord.builder("r1", "chat").caller(new Caller("acme", null, "k5", null, p)).usage(new Usage(70, 40, 0.0, false)).build());
        assertThatThrownBy(() -> limiter.admit(p)).hasMessageContaining("used 110 of its 100 tokens");
        // another key is not affected, and the next minute starts at zero
        limiter.admit(key("k6", new Principal.Limits(0, 100, 0, null, Set.of(), Set.of()))).close();
        now.set(now.get().plusSeconds(20));
        limiter.admit(p).close();
    }

    @Test
    void aTenantsRatesHoldOverAllItsKeysAndLeaveOtherTenantsAlone() {
        KeyLimiter limiter = new KeyLimiter(new MemoryRateWindows(), 0,
                java.util.Map.of("acme", new KeyLimiter.TenantRates(3, 100)), clock);
        Principal a = key("ka", Principal.Limits.NONE);
        Principal b = key("kb", Principal.Limits.NONE);
        limiter.admit(a).close();
        limiter.admit(b).close();
        limiter.admit(a).close();
        assertThatThrownBy(() -> limiter.admit(b)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("tenant acme is limited to 3 requests per minute");
        Principal other = new Principal("kg", "globex", null, Set.of(Role.APP), Set.of(), Set.of(), Principal.Limits.NONE);
        for (int i = 0; i < 5; i++) limiter.admit(other).close();

        now.set(now.get().plusSeconds(20));             // a new minute: the tenant's tokens now bind
        limiter.countTokens(a, 60);
        limiter.countTokens(b, 50);
        assertThatThrownBy(() -> limiter.admit(a)).hasMessageContaining("tenant acme used 110 of its 100 tokens");
        limiter.admit(other).close();
    }
}
