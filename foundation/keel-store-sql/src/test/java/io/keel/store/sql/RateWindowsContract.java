package io.keel.store.sql;

import io.keel.core.security.KeyLimiter;
import io.keel.core.security.LimitExceededException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.test.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SqlRateWindows} under two {@link KeyLimiter}s, each on its own connection pool to the same database, as two
 * server instances would be: the limits they enforce are one shared limit, not one each.
 */
abstract class RateWindowsContract extends StoreContract {
    private static final Instant START = Instant.parse("2026-12-06T03:00:10Z");

    private static Principal key(String id, Principal.Limits limits) {
        return new Principal(id, "acme", null, Set.of(Role.APP), Set.of(), Set.of(), limits);
    }

    @Test
    void twoInstancesShareOneRequestsPerMinuteLimit() throws Exception {
        ManualClock clock = new ManualClock(START);
        KeyLimiter a = new KeyLimiter(new SqlRateWindows(db()), 0, clock);
        KeyLimiter b = new KeyLimiter(new SqlRateWindows(db()), 0, clock);
        Principal p = key("keel_live_000000000001", new Principal.Limits(10));
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            KeyLimiter instance = i % 2 == 0 ? a : b;
            calls.add(() -> {
                try {
                    instance.admit(p).close();
                    return true;
                } catch (LimitExceededException e) {
                    return false;
                }
            });
        }
        int admitted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> f : pool.invokeAll(calls)) if (f.get()) admitted++;
        }
        assertThat(admitted).as("40 racing requests over two instances, limit 10 per minute").isEqualTo(10);
        assertThatThrownBy(() -> a.admit(p)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("10 requests per minute")
                .satisfies(e -> assertThat(((LimitExceededException) e).waitBeforeRetry()).isEqualTo(Duration.ofSeconds(50)));
        clock.advance(Duration.ofMinutes(1));
        a.admit(p).close();
        b.admit(p).close();
        // another key has its own count
        a.admit(key("keel_live_000000000002", new Principal.Limits(1))).close();
    }

    @Test
    void tokensCountedOnOneInstanceLimitTheOther() {
        ManualClock clock = new ManualClock(START);
        KeyLimiter a = new KeyLimiter(new SqlRateWindows(db()), 0, clock);
        KeyLimiter b = new KeyLimiter(new SqlRateWindows(db()), 0, clock);
        Principal p = key("keel_live_000000000003", new Principal.Limits(0, 1000, 0, null, Set.of(), Set.of()));
        b.admit(p).close();
        a.countTokens(p, 600);
        b.admit(p).close();
        b.countTokens(p, 500);
        assertThatThrownBy(() -> a.admit(p)).isInstanceOf(LimitExceededException.class).hasMessageContaining("1100 of its 1000 tokens");
        assertThatThrownBy(() -> b.admit(p)).isInstanceOf(LimitExceededException.class);
        clock.advance(Duration.ofSeconds(50));
        a.admit(p).close();
    }

    @Test
    void oldWindowsArePruned() throws Exception {
        Database db = db();
        SqlRateWindows w = new SqlRateWindows(db);
        w.add("s", 100, 5);
        w.add("s", 101, 5);
        w.add("s", 103, 1);
        assertThat(w.count("s", 100)).isZero();
        assertThat(w.count("s", 101)).isZero();
        assertThat(w.count("s", 103)).isEqualTo(1);
        assertThat(w.tryAdd("s", 103, 9, 10)).isTrue();
        assertThat(w.tryAdd("s", 103, 1, 10)).isFalse();
        assertThat(w.tryAdd("t", 103, 11, 10)).isFalse();
        assertThat(w.count("t", 103)).isZero();
    }
}
