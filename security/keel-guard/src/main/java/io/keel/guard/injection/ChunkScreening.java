package io.keel.guard.injection;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Indirect-injection screening at ingestion: scan each chunk, attach a marker to the flagged ones, and let retrieval
 * leave marked chunks out.
 *
 * <p>Markers are plain string metadata so any index can store them: {@value #FLAG_KEY} = {@code "true"} and
 * {@value #SCORE_KEY} = the score with three decimals.
 */
public final class ChunkScreening {
    public static final String FLAG_KEY = "guard.injection.flagged";
    public static final String SCORE_KEY = "guard.injection.score";

    private final InjectionDetector detector;

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
