package io.keel.experiments.report;

/**
 * One outcome an experiment is judged on.
 *
 * @param name  the wire name ({@code cost_usd}, {@code latency_ms}, {@code error_rate}...)
 * @param label how a verdict names it ({@code cost}, {@code latency}, {@code groundedness})
 * @param rate  true for a proportion (compared by the two-proportion z-test), false for a mean (Welch's t-test)
 * @param lower the word for a treatment whose value is lower ({@code cheaper}), or null for the generic wording
 * @param higher the word for a higher value ({@code more expensive}), or null
 */
public record Metric(String name, String label, boolean rate, String lower, String higher) {
    public static final Metric COST = new Metric("cost_usd", "cost", false, "cheaper", "more expensive");
    public static final Metric LATENCY = new Metric("latency_ms", "latency", false, "faster", "slower");
    public static final Metric TOKENS = new Metric("tokens", "tokens", false, null, null);
    public static final Metric ERRORS = new Metric("error_rate", "error rate", true, null, null);
    public static final Metric GUARD_BLOCKS = new Metric("guard_block_rate", "guard-block rate", true, null, null);
    public static final Metric GROUNDEDNESS = new Metric("groundedness", "groundedness", false, null, null);
    public static final Metric RELEVANCE = new Metric("retrieval_relevance", "retrieval relevance", false, null, null);
    public static final Metric FEEDBACK_SCORE = new Metric("feedback_score", "feedback score", false, null, null);
    public static final Metric THUMBS_UP = new Metric("thumbs_up_rate", "thumbs-up rate", true, null, null);

    /** True for the latency of one stage (a detail of {@link #LATENCY}). */
    public boolean stage() {
        return name.startsWith("latency_") && !equals(LATENCY);
    }

    /** Latency of one pipeline stage (from the record's timings). */
    public static Metric stage(String stage) {
        return new Metric("latency_" + stage + "_ms", stage + " latency", false, null, null);
    }
}
