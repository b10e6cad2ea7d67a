package io.keel.quality;

import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Share of an answer's sentences that the context supports, without an LLM judge. Thread-safe.
 *
 * <p>Citation markers ({@code [1]}) are stripped and the answer is split with {@link java.text.BreakIterator}; a
 * sentence with fewer than {@value #MIN_TERMS} content words ("Sure!", "Hope this helps.") makes no claim and is not
 * counted. Each remaining sentence is tried, cheapest test first:
 * <ol>
 *   <li>verbatim: its normalised text occurs in a context chunk (what the extractive generator produces);</li>
 *   <li>lexical: at least {@link QualityConfig#supportOverlap()} of its content words occur in one chunk;</li>
 *   <li>semantic: its best cosine similarity to any context sentence reaches {@link QualityConfig#supportCosine()}.
 *       Only sentences left over by 1 and 2 get here; they and the context sentences not yet cached are embedded in
 *       one {@link Embedder#embedAll} call.</li>
 * </ol>
 * The context is compared sentence by sentence rather than chunk by chunk: a chunk vector averages several claims
 * (and the model reads only its first 128 tokens), which separates supported from unsupported sentences less well
 * (see docs/quality.md).
 */
public final class Groundedness {
    /** Content words a sentence needs to count as a claim. */
    public static final int MIN_TERMS = 2;

    private final Embedder embedder;
    private final double supportOverlap;
    private final double supportCosine;
    private final VectorCache cache;

    /**
     * @param result        supported sentences out of the counted ones; {@code groundedness()} is null when none counted
     * @param viaVerbatim   of the supported ones, found verbatim
     * @param viaOverlap    found by content-word overlap
     * @param viaEmbedding  found by embedding similarity
     * @param embedded      texts embedded for this answer (answer and context sentences, cache misses only)
     */
    public record Result(int sentences, int supported, int viaVerbatim, int viaOverlap, int viaEmbedding, int embedded) {
        public static final Result EMPTY = new Result(0, 0, 0, 0, 0, 0);

        public Double groundedness() {
            return sentences == 0 ? null : (double) supported / sentences;
        }
    }

    public Groundedness(Embedder embedder, QualityConfig config) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.supportOverlap = config.supportOverlap();
        this.supportCosine = config.supportCosine();
        this.cache = new VectorCache(config.contextCacheSize());
    }

    /** Never null; {@link Result#EMPTY} for an empty answer or context. */
    public Result assess(String answer, List<SearchHit> context) {
        List<String> chunks = context.stream().map(SearchHit::text).filter(t -> t != null && !t.isBlank()).toList();
        if (answer == null || answer.isBlank() || chunks.isEmpty()) return Result.EMPTY;

        List<String> claims = new ArrayList<>();
        List<Set<String>> claimTerms = new ArrayList<>();
        for (String s : Text.sentences(Text.stripCitations(answer))) {
            Set<String> terms = Text.terms(s);
            if (terms.size() >= MIN_TERMS) {
                claims.add(s);
                claimTerms.add(terms);
            }
        }
        if (claims.isEmpty()) return Result.EMPTY;

        List<String> normalizedChunks = chunks.stream().map(c -> " " + Text.normalize(c) + " ").toList();
        List<Set<String>> chunkTerms = chunks.stream().map(Text::terms).toList();
        int verbatim = 0;
        int overlap = 0;
        List<String> open = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            String norm = " " + Text.normalize(claims.get(i)) + " ";
            if (normalizedChunks.stream().anyMatch(c -> c.contains(norm))) {
                verbatim++;
                continue;
            }
            Set<String> terms = claimTerms.get(i);
            if (chunkTerms.stream().anyMatch(c -> Text.containment(terms, c) >= supportOverlap)) {
                overlap++;
                continue;
            }
            open.add(claims.get(i));
        }
        if (open.isEmpty()) return new Result(claims.size(), verbatim + overlap, verbatim, overlap, 0, 0);

        Set<String> contextSentences = new LinkedHashSet<>();
        for (String c : chunks) {
            for (String s : Text.sentences(c)) if (Text.terms(s).size() >= MIN_TERMS) contextSentences.add(s);
        }
        Map<String, float[]> contextVectors = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        for (String s : contextSentences) {
            float[] v = cache.get(s);
            if (v != null) contextVectors.put(s, v);
            else misses.add(s);
        }
        List<String> batch = new ArrayList<>(open.size() + misses.size());
        batch.addAll(open);
        batch.addAll(misses);
        List<float[]> vectors = embedder.embedAll(batch);
        for (int i = 0; i < misses.size(); i++) {
            float[] v = vectors.get(open.size() + i);
            contextVectors.put(misses.get(i), v);
            cache.put(misses.get(i), v);
        }
        int semantic = 0;
        for (int i = 0; i < open.size(); i++) {
            float[] a = vectors.get(i);
            double best = -1;
            for (float[] c : contextVectors.values()) best = Math.max(best, Text.cosine(a, c));
            if (best >= supportCosine) semantic++;
        }
        return new Result(claims.size(), verbatim + overlap + semantic, verbatim, overlap, semantic, batch.size());
    }

    /** A small LRU of context-sentence vectors: the same chunks come back for many questions. */
    private static final class VectorCache {
        private final int capacity;
        private final LinkedHashMap<String, float[]> map;

        VectorCache(int capacity) {
            this.capacity = capacity;
            this.map = new LinkedHashMap<>(16, 0.75f, true);
        }

        synchronized float[] get(String key) {
            return capacity == 0 ? null : map.get(key);
        }

        synchronized void put(String key, float[] v) {
            if (capacity == 0) return;
            map.put(key, v);
            if (map.size() > capacity) map.pollFirstEntry();
        }
    }
}
