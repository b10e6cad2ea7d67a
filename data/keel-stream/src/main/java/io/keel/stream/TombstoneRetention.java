package io.keel.stream;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the index remembers versioned deletes. A delete leaves a tombstone with its version so that an older
 * event for the same id, redelivered or overtaken, is recognised as stale; without a bound those tombstones pile up
 * for every id ever deleted. Once a tombstone is older than {@code retention} it is purged, and an event for that id
 * of any version applies as if the id were new, so the retention must exceed the longest delay after which a source
 * can still deliver an old event (Kafka's own counterpart is the topic's {@code delete.retention.ms}).
 *
 * @param retention     how long a tombstone is kept; {@link Duration#ZERO} keeps tombstones forever
 * @param purgeInterval least time between two purges of one collection; a purge runs with the next applied batch
 */
public record TombstoneRetention(Duration retention, Duration purgeInterval) {
    public static final String PREFIX = "streaming.tombstones.";
    public static final TombstoneRetention DEFAULTS = new TombstoneRetention(Duration.ofDays(7), Duration.ofHours(1));
    public static final TombstoneRetention FOREVER = new TombstoneRetention(Duration.ZERO, Duration.ofHours(1));

    public TombstoneRetention {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        if (retention.isNegative()) throw KeelException.invalid(PREFIX + "retention must be >= 0 (0 keeps tombstones forever)");
        if (purgeInterval.isNegative()) throw KeelException.invalid(PREFIX + "purge_interval must be >= 0");
    }

    public boolean keepsForever() {
        return retention.isZero();
    }

    /**
     * Reads the {@code streaming.tombstones} section: {@code retention} (a duration, default 7d; 0 keeps tombstones
     * forever) and {@code purge_interval} (default 1h, at least 1s).
     *
     * @throws KeelException naming the full key of an invalid value
     */
    public static TombstoneRetention from(ConfigNode node) {
        node.replaced("retention_hours", "retention: 7d");
        node.replaced("purge_interval_minutes", "purge_interval: 1h");
        return new TombstoneRetention(
                node.duration("retention", DEFAULTS.retention, Duration.ZERO, Duration.ofDays(100L * 365)),
                node.duration("purge_interval", DEFAULTS.purgeInterval, Duration.ofSeconds(1), Duration.ofDays(7)));
    }
}
