package io.keel.generator.extractive;

import io.keel.core.answer.Citation;
import io.keel.core.answer.Usage;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.Generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers without a language model: picks the sentences of the retrieved chunks that best answer the question,
 * scored by embedding similarity to the question plus lexical overlap, keeps them in document order, and cites
 * each. Deterministic for a given index and question.
 */
public final class ExtractiveGenerator implements Generator {
    public static final String NAME = "extractive";
    static final String NO_ANSWER = "I could not find anything about that in the indexed documents.";

    private final Embedder embedder;
    private final ExtractiveConfig config;

    public ExtractiveGenerator(Embedder embedder, ExtractiveConfig config) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    private record Candidate(int chunkRank, int position, String text, SearchHit hit, double score) { }

    @Override
    public Generation generate(GenerationRequest request) {
        List<SearchHit> context = request.context().stream().limit(config.maxChunks()).toList();
        List<Candidate> candidates = new ArrayList<>();
        for (int rank = 0; rank < context.size(); rank++) {
            List<String> sentences = Sentences.split(context.get(rank).text());
            for (int pos = 0; pos < sentences.size(); pos++) {
                candidates.add(new Candidate(rank, pos, sentences.get(pos), context.get(rank), 0));
            }
        }
        if (candidates.isEmpty()) return new Generation(NO_ANSWER, List.of(), Usage.ZERO, NAME, "none");

        float[] q = request.questionVector() != null ? request.questionVector() : embedder.embedQuery(request.question());
        List<float[]> vectors = embedder.embedAll(candidates.stream().map(Candidate::text).toList());
        Set<String> questionTerms = Sentences.terms(request.question());
        List<Candidate> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            double semantic = dot(q, vectors.get(i));
            double lexical = overlap(questionTerms, Sentences.terms(c.text()));
            double rankPrior = 1.0 / (1 + c.chunkRank()); // retrieval already judged the chunk; respect it a little
            double score = config.semanticWeight() * semantic + config.lexicalWeight() * lexical + config.rankWeight() * rankPrior;
            scored.add(new Candidate(c.chunkRank(), c.position(), c.text(), c.hit(), score));
        }
        // Best first; ties broken by position so the result never depends on iteration order.
        scored.sort(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparingInt(Candidate::chunkRank).thenComparingInt(Candidate::position));

        List<Candidate> chosen = new ArrayList<>();
        double best = scored.getFirst().score();
        for (Candidate c : scored) {
            if (chosen.size() == config.maxSentences()) break;
            if (!chosen.isEmpty() && c.score() < best * config.relativeCutoff()) break;
            if (chosen.stream().anyMatch(o -> o.text().equalsIgnoreCase(c.text()))) continue;
            chosen.add(c);
        }
        chosen.sort(Comparator.comparingInt(Candidate::chunkRank).thenComparingInt(Candidate::position));

        Map<String, Integer> citationNumbers = new LinkedHashMap<>();
        List<Citation> citations = new ArrayList<>();
        StringBuilder answer = new StringBuilder();
        for (Candidate c : chosen) {
            Integer n = citationNumbers.get(c.hit().chunkId());
            if (n == null) {
                n = citationNumbers.size() + 1;
                citationNumbers.put(c.hit().chunkId(), n);
                citations.add(Citation.of(c.hit()));
            }
            if (!answer.isEmpty()) answer.append(' ');
            answer.append(c.text()).append(" [").append(n).append(']');
        }
        return new Generation(answer.toString(), citations, Usage.ZERO, NAME, "none");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double overlap(Set<String> question, Set<String> sentence) {
        if (question.isEmpty()) return 0;
        int hits = 0;
        for (String t : question) if (sentence.contains(t)) hits++;
        return (double) hits / question.size();
    }
}
