package io.keel.core.answer;

/**
 * Cheap quality signals computed for every RAG answer, without an LLM judge. Each field is null when it could not be
 * computed (no hits, an empty answer, a blocked request).
 *
 * @param topScore            score of the best hit (mode-dependent scale: cosine for dense, BM25 or fused RRF otherwise)
 * @param scoreMargin         top score minus the second one, relative to the top score (0..1)
 * @param weakHitShare        share of returned hits whose cosine similarity to the question is below the weak-hit threshold
 * @param groundedness        share of answer sentences supported by the context (0..1)
 * @param answerSentences     sentences in the answer
 * @param supportedSentences  of which supported by the context
 */
public record Quality(Double topScore, Double scoreMargin, Double weakHitShare, Double groundedness,
                      Integer answerSentences, Integer supportedSentences) {
    public static final Quality NONE = new Quality(null, null, null, null, null, null);
}
