package io.keel.guard.injection;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Indirect-injection screening at ingestion: scan each chunk, attach a marker to the flagged ones, and let retrieval
 * leave marked chunks out.
 *
 * <p>Document and tool text is not caller input: a quarantined chunk is knowledge nobody can retrieve, so only
 * high-confidence injections are quarantined. {@link #documents()} screens with the rules alone (no second embedding
 * per chunk) at {@value #DOCUMENT_THRESHOLD}: an override of earlier instructions, a jailbreak persona, a
 * system-prompt request or chat markup is quarantined; role-play wording, "no restrictions" and other shapes that
 * ordinary prose also has ("proteins act as a signal") are not. On SciFact, SQuAD contexts and musique-100 it
 * quarantines nothing (see docs/security.md).
 *
 * <p>Markers are plain string metadata so any index can store them: {@value #FLAG_KEY} = {@code "true"} and
 * {@value #SCORE_KEY} = the score with three decimals.
 */
public final class ChunkScreening {
    public static final String FLAG_KEY = "guard.injection.flagged";
    public static final String SCORE_KEY = "guard.injection.score";

    /** The score at or above which a document or tool text is quarantined by {@link #documents()}. */
    public static final double DOCUMENT_THRESHOLD = 0.9;

    private final InjectionDetector detector;

    /** Rules-only screening at {@link #DOCUMENT_THRESHOLD}, for retrieved documents and tool results. */
    public static ChunkScreening documents() {
        return documents(null, DOCUMENT_THRESHOLD);
    }

    /** @param classifier null for rules only; else the classifier also scores every chunk (one embedding each) */
    public static ChunkScreening documents(InjectionScorer classifier, double threshold) {
        return new ChunkScreening(new InjectionDetector(classifier, new InjectionDetector.Config(threshold, true, 12)));
    }

    public ChunkScreening(InjectionDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    /** The verdict on one chunk. */
    public InjectionResult scanChunk(String chunkText) {
        return detector.scanChunk(chunkText);
    }

    /** Metadata to store with the chunk: the markers when flagged, nothing otherwise. */
    public Map<String, String> markers(String chunkText) {
        InjectionResult r = scanChunk(chunkText);
        return r.flagged()
                ? Map.of(FLAG_KEY, "true", SCORE_KEY, String.format(Locale.ROOT, "%.3f", r.score()))
                : Map.of();
    }

    /** True when retrieval should leave a chunk with this metadata out of the context. */
    public static boolean excluded(Map<String, String> chunkMetadata) {
        return chunkMetadata != null && "true".equals(chunkMetadata.get(FLAG_KEY));
    }
}
