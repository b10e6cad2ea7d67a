package io.keel.app;

import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexStore;
import io.keel.quality.DriftMonitor;
import io.keel.quality.QualityConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One embedding-drift monitor per collection, with its corpus centroid read from the index and recomputed in the
 * background whenever an ingestion commit changed the collection. Each monitor is exported as the gauges
 * {@code keel_quality_drift{collection}} and {@code keel_quality_drift_alerting{collection}}.
 */
final class DriftMonitors implements Function<String, DriftMonitor> {
    private static final Logger LOG = Logger.getLogger(DriftMonitors.class.getName());

    private final IndexStore indexes;
    private final QualityConfig config;
    private final MeterRegistry meters;
    private final Map<String, Tracked> byCollection = new ConcurrentHashMap<>();

    DriftMonitors(IndexStore indexes, QualityConfig config, MeterRegistry meters) {
        this.indexes = indexes;
        this.config = config;
        this.meters = meters;
    }

    @Override
    public DriftMonitor apply(String collection) {
        if (collection == null) return null;
        Tracked t = byCollection.computeIfAbsent(collection, this::track);
        t.refreshIfChanged();
        return t.monitor;
    }

    private Tracked track(String collection) {
        DriftMonitor m = new DriftMonitor(config);
        Gauge.builder("keel.quality.drift", m, DriftMonitor::drift)
                .description("1 - cosine between the rolling centroid of query embeddings and the corpus centroid (NaN until enough queries)")
                .tag("collection", collection).register(meters);
        Gauge.builder("keel.quality.drift.alerting", m, x -> x.alerting() ? 1 : 0)
                .description("1 when drift exceeds quality.drift.alert_threshold")
                .tag("collection", collection).register(meters);
        return new Tracked(collection, m);
    }

    /** A monitor and the index version its corpus centroid was computed at. */
    private final class Tracked {
        final String collection;
        final DriftMonitor monitor;
        final AtomicLong centroidVersion = new AtomicLong(-1);
        final AtomicBoolean computing = new AtomicBoolean();

        Tracked(String collection, DriftMonitor monitor) {
            this.collection = collection;
            this.monitor = monitor;
        }

        void refreshIfChanged() {
            CollectionIndex index;
            try {
                index = indexes.collection(collection, false);
            } catch (RuntimeException e) {
                return;
            }
            long version = index.info().version();
            if (version == centroidVersion.get() || !computing.compareAndSet(false, true)) return;
            // Reading every vector is linear in the collection: never on a request thread.
            Thread.ofVirtual().name("keel-drift-centroid-" + collection).start(() -> {
                try {
                    index.vectorCentroid().ifPresent(monitor::setCorpusCentroid);
                    centroidVersion.set(version);
                } catch (RuntimeException e) {
                    LOG.warning("corpus centroid of collection '" + collection + "' could not be computed: " + e.getMessage());
                } finally {
                    computing.set(false);
                }
            });
        }
    }
}
