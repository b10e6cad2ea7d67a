package io.keel.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.answer.Timings;
import io.keel.core.spi.RequestRecord;
import io.keel.http.HttpJson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests, errors and per-stage latency percentiles of a set of request-log records, overall and in equal time
 * buckets from the oldest record to the newest. A stage's percentiles count only the requests in which it ran (a chat
 * request has no vector search), and an error is any status but {@code ok}, as in {@code /v1/usage}.
 *
 * @param buckets oldest first
 */
record LatencySeries(Bucket overall, Duration width, List<Bucket> buckets) {
    /** The stages the console charts: the standard ones of {@link Timings}. */
    static final List<String> STAGES = Timings.STANDARD;

    /** One time bucket: its start, counts, and per stage (in {@link #STAGES} order) p50 and p95 in ms, NaN when none. */
    record Bucket(Instant start, long requests, long errors, double[] p50, double[] p95) {
    }

    static LatencySeries of(List<RequestRecord> records, int bucketCount) {
        if (records.isEmpty()) return new LatencySeries(bucket(null, List.of()), Duration.ZERO, List.of());
        Instant oldest = records.stream().map(RequestRecord::time).min(Instant::compareTo).orElseThrow();
        Instant newest = records.stream().map(RequestRecord::time).max(Instant::compareTo).orElseThrow();
        long spanMs = Duration.between(oldest, newest).toMillis() + 1;
        long widthMs = Math.max(1000, (spanMs + bucketCount - 1) / bucketCount);
        int n = (int) Math.min(bucketCount, (spanMs + widthMs - 1) / widthMs);
        List<List<RequestRecord>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) groups.add(new ArrayList<>());
        for (RequestRecord r : records) {
            int i = (int) Math.min(n - 1, Duration.between(oldest, r.time()).toMillis() / widthMs);
            groups.get(i).add(r);
        }
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < n; i++) buckets.add(bucket(oldest.plusMillis(i * widthMs), groups.get(i)));
        return new LatencySeries(bucket(oldest, records), Duration.ofMillis(widthMs), buckets);
    }

    private static Bucket bucket(Instant start, List<RequestRecord> records) {
        long errors = records.stream().filter(r -> !r.ok()).count();
        double[] p50 = new double[STAGES.size()];
        double[] p95 = new double[STAGES.size()];
        for (int s = 0; s < STAGES.size(); s++) {
            String stage = STAGES.get(s);
            double[] ms = records.stream().mapToLong(r -> r.timings().nanosOf(stage)).filter(v -> v > 0)
                    .mapToDouble(v -> v / 1e6).sorted().toArray();
            p50[s] = percentile(ms, 0.50);
            p95[s] = percentile(ms, 0.95);
        }
        return new Bucket(start, records.size(), errors, p50, p95);
    }

    /** Nearest-rank percentile of sorted values; NaN for none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    ObjectNode toJson() {
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        n.set("stages", HttpJson.MAPPER.valueToTree(STAGES));
        n.set("overall", json(overall));
        n.put("bucket_seconds", width.toMillis() / 1000.0);
        var arr = n.putArray("buckets");
        buckets.forEach(b -> arr.add(json(b)));
        return n;
    }

    private static ObjectNode json(Bucket b) {
        ObjectNode n = HttpJson.MAPPER.createObjectNode();
        if (b.start() != null) n.put("start", b.start().toString());
        n.put("requests", b.requests()).put("errors", b.errors());
        ObjectNode p50 = n.putObject("p50_ms");
        ObjectNode p95 = n.putObject("p95_ms");
        for (int s = 0; s < STAGES.size(); s++) {
            put(p50, STAGES.get(s), b.p50()[s]);
            put(p95, STAGES.get(s), b.p95()[s]);
        }
        return n;
    }

    private static void put(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) n.putNull(key);
        else n.put(key, Math.round(v * 1000) / 1000.0);
    }
}
