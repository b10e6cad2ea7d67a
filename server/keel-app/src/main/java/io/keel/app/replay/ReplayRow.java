package io.keel.app.replay;

/**
 * One replayed request: the original as logged, the candidate's re-run, and how they compare.
 *
 * @param requestId  the request-log id of the original
 * @param time       when the original was answered (ISO-8601)
 * @param route      the route it came through
 * @param question   the question as logged (redacted)
 * @param status     {@code ok}, or {@code error} when the candidate failed (see {@code error}); the run goes on
 * @param contextChunks chunks the candidate answered from
 * @param similarity cosine similarity of the two answers' embeddings (1 = same meaning), null when either is empty
 * @param changed    true when {@code similarity} is below {@value Replayer#CHANGED_BELOW}
 */
public record ReplayRow(String requestId, String time, String route, String question, String status, String error,
                        int contextChunks, Side original, Side candidate, Double similarity, boolean changed) {

    public boolean ok() {
        return "ok".equals(status);
    }

    /**
     * One side of the comparison.
     *
     * @param model         {@code name@version} (or the bare name when unregistered)
     * @param prompt        {@code id@version}, or null
     * @param answer        the answer text (the original is the redacted text of the log)
     * @param latencyMs     end to end: the original's logged total (the sum of its logged stages); for the candidate,
     *                      that with the original's generation time replaced by the candidate's measured one (and, with
     *                      re-retrieval, its embedding and search time by the new search's)
     * @param generationMs  time spent generating: the original's logged inference stage, the candidate's measured call
     * @param groundedness  share of answer sentences supported by the context, null when no sentence counted
     * @param guardHits     output guard findings on the answer, null when no guard is configured
     */
    public record Side(String model, String prompt, String answer, double costUsd, long promptTokens, long completionTokens,
                       double latencyMs, double generationMs, Double groundedness, Integer guardHits) {
        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }
}
