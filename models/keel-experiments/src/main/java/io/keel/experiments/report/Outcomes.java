package io.keel.experiments.report;

import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.FeedbackStore;
import io.keel.core.spi.OutcomeSums;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.experiments.stats.Sample;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The observations of an experiment, per metric and variant, read from request-log records and feedback: cost, total
 * and per-stage latency, tokens, error and guard-block rates, groundedness, retrieval relevance (the top retrieval
 * score), feedback score and thumbs-up rate. A metric a record does not carry (no groundedness on a chat request) is
 * not observed for it; rates count every request of the variant.
 */
public final class Outcomes {
    /** Every outcome a report can show, in the order it shows them; per-stage latencies sit after the totals. */
    private static final List<Metric> ORDER = List.of(Metric.COST, Metric.TOKENS, Metric.ERRORS, Metric.GUARD_BLOCKS,
            Metric.LATENCY, Metric.GROUNDEDNESS, Metric.RELEVANCE, Metric.FEEDBACK_SCORE, Metric.THUMBS_UP);
    private static final Comparator<Metric> SHOWN = Comparator.comparingInt(Outcomes::rank).thenComparing(Metric::name);

    private final Map<Metric, Map<String, Sample.Accumulator>> data = new LinkedHashMap<>();
    private final Map<Metric, Map<String, Sample>> summed = new LinkedHashMap<>();
    private final Map<String, Long> requests = new LinkedHashMap<>();

    private Outcomes() {
    }

    /** Outcomes of the records and feedback whose variant is one of {@code variants} (others, e.g. holdout, are left out). */
    public static Outcomes of(List<String> variants, List<RequestRecord> records, List<Feedback> feedback) {
        return of(null, variants, records, feedback);
    }

    /**
     * Outcomes of experiment {@code experiment}'s records and feedback whose variant is one of {@code variants}. A
     * request in experiments of several layers is stamped with the joined names ({@code prompts+retrieval},
     * {@code v2+bm25}); its variant here is the part at this experiment's position.
     *
     * @param experiment the experiment's name, or null to read the stamped variant as it is
     */
    public static Outcomes of(String experiment, List<String> variants, List<RequestRecord> records, List<Feedback> feedback) {
        Outcomes o = new Outcomes();
        for (String v : variants) o.requests.put(v, 0L);
        TreeSet<String> stages = new TreeSet<>();
        for (RequestRecord r : records) {
            String v = r.lineage() == null ? null : Arms.variantOf(experiment, r.lineage().experiment(), r.lineage().variant());
            if (v == null || !o.requests.containsKey(v)) continue;
            o.requests.merge(v, 1L, Long::sum);
            o.add(Metric.COST, v, r.usage().costUsd());
            o.add(Metric.TOKENS, v, r.usage().promptTokens() + r.usage().completionTokens());
            o.add(Metric.ERRORS, v, !r.ok() && !"blocked".equals(r.status()) ? 1 : 0);
            o.add(Metric.GUARD_BLOCKS, v, "blocked".equals(r.status()) ? 1 : 0);
            if (r.timings().nanos().containsKey(Timings.TOTAL)) o.add(Metric.LATENCY, v, r.timings().millisOf(Timings.TOTAL));
            Quality q = r.quality();
            if (q.groundedness() != null) o.add(Metric.GROUNDEDNESS, v, q.groundedness());
            if (q.topScore() != null) o.add(Metric.RELEVANCE, v, q.topScore());
            r.timings().nanos().keySet().stream().filter(s -> !s.equals(Timings.TOTAL)).forEach(stages::add);
        }
        for (String stage : stages) {
            for (RequestRecord r : records) {
                String v = r.lineage() == null ? null : Arms.variantOf(experiment, r.lineage().experiment(), r.lineage().variant());
                if (v == null || !o.requests.containsKey(v) || !r.timings().nanos().containsKey(stage)) continue;
                o.add(Metric.stage(stage), v, r.timings().millisOf(stage));
            }
        }
        for (Feedback f : feedback) {
            String v = Arms.variantOf(experiment, f.experiment(), f.variant());
            if (v == null || !o.requests.containsKey(v)) continue;
            if (f.score() != null) o.add(Metric.FEEDBACK_SCORE, v, f.score());
            if (f.thumbs() != null) o.add(Metric.THUMBS_UP, v, f.thumbs() ? 1 : 0);
        }
        return o;
    }

    /**
     * The same outcomes from the sums the store keeps per variant ({@link RequestStore#outcomeSums},
     * {@link FeedbackStore#outcomeSums}) instead of the records: equal to {@link #of} over the same records and
     * feedback, computed from a few rows per variant whatever the experiment's size. Variants not in {@code variants}
     * (holdout) and outcomes of unknown names are left out; a variant's requests are its {@code error_rate}
     * observations (every request has one).
     */
    public static Outcomes ofSums(List<String> variants, List<OutcomeSums> requestSums, List<OutcomeSums> feedbackSums) {
        Outcomes o = new Outcomes();
        for (String v : variants) o.requests.put(v, 0L);
        for (List<OutcomeSums> list : List.of(requestSums, feedbackSums)) {
            for (OutcomeSums s : list) {
                Metric m = named(s.metric());
                if (m == null || !o.requests.containsKey(s.variant()) || s.n() <= 0) continue;
                o.summed.computeIfAbsent(m, k -> new LinkedHashMap<>())
                        .put(s.variant(), Sample.ofSums(s.n(), s.shift(), s.sumDx(), s.sumDx2()));
                if (m.equals(Metric.ERRORS)) o.requests.put(s.variant(), s.n());
            }
        }
        return o;
    }

    /** The metric of a wire name ({@code latency_<stage>_ms} for a stage), or null for a name no report knows. */
    static Metric named(String name) {
        for (Metric m : ORDER) if (m.name().equals(name)) return m;
        if (name.startsWith("latency_") && name.endsWith("_ms") && name.length() >= "latency__ms".length()) {
            return Metric.stage(name.substring("latency_".length(), name.length() - "_ms".length()));
        }
        return null;
    }

    private static int rank(Metric m) {
        int i = ORDER.indexOf(m);
        if (i >= 0) return i < ORDER.indexOf(Metric.FEEDBACK_SCORE) ? i : i + 1;
        return ORDER.indexOf(Metric.FEEDBACK_SCORE); // a stage: after the totals, before feedback
    }

    private void add(Metric m, String variant, double x) {
        data.computeIfAbsent(m, k -> new LinkedHashMap<>()).computeIfAbsent(variant, k -> new Sample.Accumulator()).add(x);
    }

    /** Requests per variant, in the order the variants were given. */
    public Map<String, Long> requests() {
        return Map.copyOf(requests);
    }

    public long requests(String variant) {
        return requests.getOrDefault(variant, 0L);
    }

    /**
     * The metrics observed in at least one variant, in a fixed order: cost, tokens, error rate, guard-block rate,
     * latency, groundedness, retrieval relevance, each stage's latency (by name), feedback score, thumbs-up rate.
     */
    public List<Metric> metrics() {
        TreeSet<Metric> shown = new TreeSet<>(SHOWN);
        shown.addAll(data.keySet());
        shown.addAll(summed.keySet());
        return List.copyOf(shown);
    }

    /** The summary of {@code metric} in {@code variant}; an empty sample when it was not observed. */
    public Sample sample(Metric metric, String variant) {
        Sample s = summed.getOrDefault(metric, Map.of()).get(variant);
        if (s != null) return s;
        Sample.Accumulator a = data.getOrDefault(metric, Map.of()).get(variant);
        return a == null ? new Sample(0, 0, 0) : a.sample();
    }
}
