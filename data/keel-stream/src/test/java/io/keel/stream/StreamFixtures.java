package io.keel.stream;

import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The real components every streaming test runs on: the ONNX MiniLM embedder (loaded once per JVM, it is
 * immutable and thread-safe) and Lucene collections in a temporary directory. Shared with the Kafka source's tests.
 */
public final class StreamFixtures {
    private static Embedder embedder;

    private StreamFixtures() {
    }

    /** The process-wide embedder; closed by the JVM's exit. */
    public static synchronized Embedder embedder() {
        if (embedder == null) embedder = OnnxEmbedder.createDefault();
        return embedder;
    }

    public static LuceneIndexStore store(Path dataDir) {
        return new LuceneIndexStore(dataDir, embedder().info(), LuceneIndexConfig.DEFAULTS);
    }

    /** Keyword (BM25) hits for {@code text}, up to 50. */
    public static List<SearchHit> search(CollectionIndex index, String text) {
        return index.search(new Query(text, 50, RetrievalMode.BM25, null, index.name()), null);
    }

    /** Dense hits for {@code text}, up to 10. */
    public static List<SearchHit> searchDense(CollectionIndex index, String text) {
        return index.search(new Query(text, 10, RetrievalMode.DENSE, null, index.name()), embedder().embedQuery(text));
    }

    /** Ids of the documents whose chunks match {@code text} by keyword. */
    public static Set<String> documentsMatching(CollectionIndex index, String text) {
        return search(index, text).stream().map(SearchHit::documentId).collect(Collectors.toSet());
    }

    /** Chunk ids per document among the keyword hits for {@code text}: shows duplicate or leftover chunks. */
    public static Map<String, List<String>> chunksByDocument(CollectionIndex index, String text) {
        return search(index, text).stream().collect(Collectors.groupingBy(SearchHit::documentId,
                Collectors.mapping(SearchHit::chunkId, Collectors.toList())));
    }

    /** A text of about {@code words} words, unique to {@code marker}, that chunks into several pieces when long. */
    public static String article(String marker, int words) {
        String[] vocabulary = {"ledger", "refund", "invoice", "shipment", "warehouse", "customer", "policy", "audit",
                "payment", "carrier", "region", "quarter", "forecast", "contract", "renewal", "support"};
        StringBuilder sb = new StringBuilder("# Report ").append(marker).append("\n\n");
        int seed = marker.hashCode();
        for (int i = 0; i < words; i++) {
            if (i > 0 && i % 12 == 0) sb.append(". ");
            else if (i > 0) sb.append(' ');
            if (i % 40 == 0) sb.append(marker);
            else sb.append(vocabulary[Math.floorMod(seed + i * 31, vocabulary.length)]);
        }
        return sb.append(".\n").toString();
    }
}
