package io.keel.ingest;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The vectors for documents about to be written. A chunk of a document that replaces an indexed copy keeps its
 * vector when the copy had a chunk with the same embedding text ({@link CollectionIndex#chunkVectors}); every other
 * chunk is embedded, all of them together in calls of at most {@code batchSize} texts. An edit of one paragraph
 * re-embeds the chunks around it, not the whole document.
 */
public final class ChunkVectors {
    /** One document to write; {@code replaces} when the index's last commit holds a live copy of it. */
    public record Item(Document document, List<Chunk> chunks, boolean replaces) {
    }

    /**
     * @param vectors  per item, one vector per chunk, in order
     * @param embedded chunks the embedding model was run on
     * @param reused   chunks that kept the vector of the indexed copy
     */
    public record Result(List<List<float[]>> vectors, int embedded, int reused) {
    }

    private ChunkVectors() {
    }

    /**
     * @throws KeelException {@link ErrorCode#INTERNAL} when the embedder returns a different number of vectors than
     *                       texts; the embedder's and the index's own failures pass through
     */
    public static Result of(List<Item> items, CollectionIndex index, Embedder embedder, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
        List<String> texts = new ArrayList<>();
        List<float[][]> targets = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<float[][]> vectors = new ArrayList<>(items.size());
        int reused = 0;
        for (Item item : items) {
            Map<String, float[]> indexed = item.replaces() ? index.chunkVectors(item.document().id()) : Map.of();
            float[][] own = new float[item.chunks().size()][];
            for (int i = 0; i < own.length; i++) {
                String text = item.chunks().get(i).embeddingText(item.document().title());
                own[i] = indexed.get(text);
                if (own[i] != null) {
                    reused++;
                } else {
                    texts.add(text);
                    targets.add(own);
                    positions.add(i);
                }
            }
            vectors.add(own);
        }
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + batchSize));
            List<float[]> embedded = embedder.embedAll(slice);
            if (embedded.size() != slice.size()) {
                throw new KeelException(ErrorCode.INTERNAL, "the embedder " + embedder.info().fingerprint() + " returned "
                        + embedded.size() + " vectors for " + slice.size() + " texts");
            }
            for (int i = 0; i < embedded.size(); i++) targets.get(from + i)[positions.get(from + i)] = embedded.get(i);
        }
        return new Result(vectors.stream().map(Arrays::asList).toList(), texts.size(), reused);
    }
}
