package io.keel.quality;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

/**
 * Settings of the answer-quality signals (config subtree {@code quality}). Defaults and how they were chosen:
 * {@code docs/quality.md}.
 *
 * @param enabled              {@code quality.enabled}: compute signals at all (when false the stage only passes through)
 * @param weakHitCosine        {@code quality.weak_hit_cosine}: a context chunk whose cosine similarity to the question
 *                             is below this is a weak hit (dense mode, where the hit score is that cosine)
 * @param weakHitTermCoverage  {@code quality.weak_hit_term_coverage}: in bm25 and hybrid mode, where no cosine is at
 *                             hand, a chunk containing less than this share of the question's content words is weak
 * @param supportOverlap       {@code quality.support_overlap}: an answer sentence whose content words are found in one
 *                             context chunk at least at this share is supported without embedding anything
 * @param supportCosine        {@code quality.support_cosine}: otherwise it is supported when its best cosine similarity
 *                             to any context sentence reaches this
 * @param contextCacheSize     {@code quality.context_cache_size}: context-sentence vectors kept between requests
 *                             (1.5 KB each; 0 disables the cache)
 * @param driftHalfLife        {@code quality.drift.half_life}: queries after which a query's weight in the rolling
 *                             centroid has halved
 * @param driftAlertThreshold  {@code quality.drift.alert_threshold}: drift (1 - cosine) above which the monitor alerts
 * @param driftMinQueries      {@code quality.drift.min_queries}: queries seen before drift is reported at all
 */
public record QualityConfig(boolean enabled, double weakHitCosine, double weakHitTermCoverage, double supportOverlap,
                            double supportCosine, int contextCacheSize, int driftHalfLife, double driftAlertThreshold,
                            int driftMinQueries) {
    public static final double DEFAULT_WEAK_HIT_COSINE = 0.30;
    public static final double DEFAULT_WEAK_HIT_TERM_COVERAGE = 0.25;
    public static final double DEFAULT_SUPPORT_OVERLAP = 0.70;
    public static final double DEFAULT_SUPPORT_COSINE = 0.65;
    public static final int DEFAULT_CONTEXT_CACHE_SIZE = 4096;
    public static final int DEFAULT_DRIFT_HALF_LIFE = 100;
    public static final double DEFAULT_DRIFT_ALERT_THRESHOLD = 0.60;
    public static final int DEFAULT_DRIFT_MIN_QUERIES = 20;

    public QualityConfig {
        unit("quality.weak_hit_cosine", weakHitCosine, -1);
        unit("quality.weak_hit_term_coverage", weakHitTermCoverage, 0);
        unit("quality.support_overlap", supportOverlap, 0);
        unit("quality.support_cosine", supportCosine, -1);
        if (contextCacheSize < 0) throw KeelException.invalid("quality.context_cache_size must be >= 0; got " + contextCacheSize);
        if (driftHalfLife < 1) throw KeelException.invalid("quality.drift.half_life must be >= 1 query; got " + driftHalfLife);
        if (!(driftAlertThreshold > 0 && driftAlertThreshold <= 2)) {
            throw KeelException.invalid("quality.drift.alert_threshold must be in (0, 2]; got " + driftAlertThreshold);
        }
        if (driftMinQueries < 1) throw KeelException.invalid("quality.drift.min_queries must be >= 1; got " + driftMinQueries);
    }

    /** Reads the {@code quality} section (see the parameters above for its keys); absent keys keep {@link #defaults()}. */
    public static QualityConfig from(ConfigNode n) {
        QualityConfig d = defaults();
        ConfigNode drift = n.child("drift");
        return new QualityConfig(n.bool("enabled", d.enabled()),
                n.decimal("weak_hit_cosine", d.weakHitCosine(), -1, 1),
                n.decimal("weak_hit_term_coverage", d.weakHitTermCoverage(), 0, 1),
                n.decimal("support_overlap", d.supportOverlap(), 0, 1),
                n.decimal("support_cosine", d.supportCosine(), -1, 1),
                n.integer("context_cache_size", d.contextCacheSize(), 0, 10_000_000),
                drift.integer("half_life", d.driftHalfLife(), 1, 10_000_000),
                drift.decimal("alert_threshold", d.driftAlertThreshold(), 0.000001, 2),
                drift.integer("min_queries", d.driftMinQueries(), 1, 10_000_000));
    }

    public static QualityConfig defaults() {
        return new QualityConfig(true, DEFAULT_WEAK_HIT_COSINE, DEFAULT_WEAK_HIT_TERM_COVERAGE, DEFAULT_SUPPORT_OVERLAP,
                DEFAULT_SUPPORT_COSINE, DEFAULT_CONTEXT_CACHE_SIZE, DEFAULT_DRIFT_HALF_LIFE, DEFAULT_DRIFT_ALERT_THRESHOLD,
                DEFAULT_DRIFT_MIN_QUERIES);
    }

    public QualityConfig withEnabled(boolean on) {
        return new QualityConfig(on, weakHitCosine, weakHitTermCoverage, supportOverlap, supportCosine, contextCacheSize,
                driftHalfLife, driftAlertThreshold, driftMinQueries);
    }

    public QualityConfig withSupport(double overlap, double cosine) {
        return new QualityConfig(enabled, weakHitCosine, weakHitTermCoverage, overlap, cosine, contextCacheSize,
                driftHalfLife, driftAlertThreshold, driftMinQueries);
    }

    public QualityConfig withDrift(int halfLife, double alertThreshold, int minQueries) {
        return new QualityConfig(enabled, weakHitCosine, weakHitTermCoverage, supportOverlap, supportCosine,
                contextCacheSize, halfLife, alertThreshold, minQueries);
    }

    private static void unit(String key, double v, double min) {
        if (!(v >= min && v <= 1)) throw KeelException.invalid(key + " must be in [" + (int) min + ", 1]; got " + v);
    }
}
