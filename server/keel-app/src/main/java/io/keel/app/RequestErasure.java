package io.keel.app;

import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditLog;
import io.keel.core.spi.RequestPurge;
import io.keel.core.spi.RequestStore;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Erasure and retention of the request log: a purge deletes the selected records (with their questions, answers and
 * retrieved contexts) and is itself recorded in the audit log as {@code requests.purged}, with the filter and the
 * count. {@link #retain} purges records older than the configured retention ({@code request_log.retention})
 * periodically.
 */
public final class RequestErasure {
    /** The actor of periodic retention purges. */
    public static final AuditActor RETENTION = AuditActor.user("keel-retention");
    private static final Logger LOG = Logger.getLogger(RequestErasure.class.getName());

    private final RequestStore store;
    private final AuditLog audit;
    private final Clock clock;

    public RequestErasure(RequestStore store, AuditLog audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Deletes what {@code purge} selects and audits it (even when nothing matched: the request itself is recorded). */
    public int purge(RequestPurge purge, AuditActor actor) {
        int count = store.purge(purge);
        audit(purge, actor, count);
        return count;
    }

    /** Deletes records older than {@code retention}; audited only when something was deleted. */
    public int purgeOlderThan(Duration retention) {
        RequestPurge purge = RequestPurge.olderThan(clock.instant().minus(retention));
        int count = store.purge(purge);
        if (count > 0) audit(purge, RETENTION, count);
        return count;
    }

    private void audit(RequestPurge purge, AuditActor actor, int count) {
        Map<String, Object> details = new LinkedHashMap<>(purge.describe());
        details.put("count", count);
        audit.append(AuditEvent.of(actor, AuditEvent.REQUESTS_PURGED, "requests", details));
    }

    /**
     * Purges records older than {@code retention} now and then every tenth of it (at least a minute, at most an
     * hour) until the returned handle is closed. Closing waits for a purge under way to finish, so a purge is never
     * cut off between deleting records and recording that it did.
     */
    public AutoCloseable retain(Duration retention) {
        Duration every = clamp(retention.dividedBy(10), Duration.ofMinutes(1), Duration.ofHours(1));
        Object signal = new Object();
        boolean[] stopped = {false};
        Thread t = Thread.ofVirtual().name("keel-request-retention").start(() -> {
            while (true) {
                try {
                    int n = purgeOlderThan(retention);
                    if (n > 0) LOG.info("request_log.retention: purged " + n + " records older than " + retention);
                } catch (RuntimeException e) {
                    LOG.warning("request_log.retention: purging failed, retrying in " + every + ": " + e.getMessage());
                }
                synchronized (signal) {
                    long until = System.nanoTime() + every.toNanos();
                    while (!stopped[0] && System.nanoTime() < until) {
                        try {
                            signal.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (stopped[0]) return;
                }
            }
        });
        return () -> {
            synchronized (signal) {
                stopped[0] = true;
                signal.notifyAll();
            }
            t.join(Duration.ofSeconds(30));
        };
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
