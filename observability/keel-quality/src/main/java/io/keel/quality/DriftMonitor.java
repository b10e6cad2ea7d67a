package io.keel.quality;

import java.util.Objects;

/**
 * Embedding drift of the questions against the corpus: an exponentially weighted rolling centroid of query embeddings
 * (a query's weight halves every {@link QualityConfig#driftHalfLife()} queries) compared with the corpus centroid.
 * {@code drift = 1 - cosine(rolling, corpus)}: 0 when the questions sit where the corpus sits, larger as they move
 * away. Thread-safe; {@link #observe} costs O(dim) under a short lock, the getters O(dim).
 *
 * <p>The corpus centroid is computed elsewhere (the mean of the index's chunk vectors) and may be replaced at any
 * time, e.g. after a reindex; the rolling centroid is kept.
 */
public final class DriftMonitor {
    private final double decay;
    private final double alertThreshold;
    private final int minQueries;
    private final Object lock = new Object();
    private double[] rolling;     // guarded by lock; un-normalised weighted sum, only its direction matters
    private long queries;         // guarded by lock
    private volatile float[] corpus;

    public DriftMonitor(QualityConfig config) {
        this(config.driftHalfLife(), config.driftAlertThreshold(), config.driftMinQueries());
    }

    /**
     * @param halfLife       queries after which a query's weight has halved (>= 1)
     * @param alertThreshold drift above which {@link #alerting()} is true
     * @param minQueries     queries needed before {@link #drift()} is reported
     */
    public DriftMonitor(int halfLife, double alertThreshold, int minQueries) {
        if (halfLife < 1) throw new IllegalArgumentException("halfLife must be >= 1; got " + halfLife);
        if (minQueries < 1) throw new IllegalArgumentException("minQueries must be >= 1; got " + minQueries);
        this.decay = Math.pow(0.5, 1.0 / halfLife);
        this.alertThreshold = alertThreshold;
        this.minQueries = minQueries;
    }

    /** Sets (or replaces) the corpus centroid; it need not be normalised. Null clears it. */
    public void setCorpusCentroid(float[] centroid) {
        this.corpus = centroid == null ? null : centroid.clone();
    }

    /** Adds one query embedding; a null, empty or wrong-sized vector is ignored. */
    public void observe(float[] queryVector) {
        if (queryVector == null || queryVector.length == 0) return;
        synchronized (lock) {
            if (rolling == null) rolling = new double[queryVector.length];
            if (queryVector.length != rolling.length) return;
            for (int i = 0; i < rolling.length; i++) rolling[i] = decay * rolling[i] + (1 - decay) * queryVector[i];
            queries++;
        }
    }

    /**
     * {@code 1 - cosine(rolling centroid, corpus centroid)}, in [0, 2]; NaN before {@code minQueries} queries, without
     * a corpus centroid, or when their dimensions differ.
     */
    public double drift() {
        float[] c = corpus;
        if (c == null) return Double.NaN;
        double dot = 0;
        double nr = 0;
        double nc = 0;
        synchronized (lock) {
            if (queries < minQueries || rolling == null || rolling.length != c.length) return Double.NaN;
            for (int i = 0; i < c.length; i++) {
                dot += rolling[i] * c[i];
                nr += rolling[i] * rolling[i];
                nc += (double) c[i] * c[i];
            }
        }
        if (nr == 0 || nc == 0) return Double.NaN;
        return 1 - dot / Math.sqrt(nr * nc);
    }

    /** Whether drift is known and above the alert threshold. */
    public boolean alerting() {
        double d = drift();
        return !Double.isNaN(d) && d > alertThreshold;
    }

    /** Queries observed since start (or {@link #reset()}). */
    public long queries() {
        synchronized (lock) {
            return queries;
        }
    }

    public double alertThreshold() {
        return alertThreshold;
    }

    public boolean hasCorpusCentroid() {
        return corpus != null;
    }

    /** Forgets the observed queries (e.g. after the corpus changed on purpose). */
    public void reset() {
        synchronized (lock) {
            rolling = null;
            queries = 0;
        }
    }

    /** The mean of {@code vectors}, for {@link #setCorpusCentroid}; null for none. */
    public static float[] centroid(Iterable<float[]> vectors) {
        Objects.requireNonNull(vectors, "vectors");
        double[] sum = null;
        long n = 0;
        for (float[] v : vectors) {
            if (sum == null) sum = new double[v.length];
            if (v.length != sum.length) throw new IllegalArgumentException("vectors of different dimensions");
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
            n++;
        }
        if (sum == null) return null;
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = (float) (sum[i] / n);
        return out;
    }
}
