package io.keel.index.lucene;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexWriterConfig.OpenMode;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;

import java.io.IOException;

/**
 * How Lucene is set up for a collection: the per-field vector codec, the BM25 similarity, the English analyzer
 * and the writer's buffering and merging.
 */
final class LuceneSetup {
    private LuceneSetup() {
    }

    /** Bits per dimension of the scalar-quantized format: 7-bit values stored one per byte. */
    private static final int INT8_BITS = 7;

    /**
     * Lucene's default codec with the vector field in the configured HNSW format. Segments record the format by
     * name, so a collection stays readable when the quantization setting changes; new segments use the new one.
     * Graph merges use up to {@code mergeThreads} workers from the merge scheduler's intra-merge executor.
     */
    static Codec codec(LuceneIndexConfig config) {
        int workers = config.mergeThreads();
        KnnVectorsFormat vectors = switch (config.quantization()) {
            case NONE -> new Lucene99HnswVectorsFormat(config.hnswM(), config.hnswBeamWidth(), workers, null);
            case INT8 -> new Lucene99HnswScalarQuantizedVectorsFormat(config.hnswM(), config.hnswBeamWidth(), workers,
                    INT8_BITS, false, null, null);
        };
        return new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }

    static int maxDimensions(LuceneIndexConfig config) {
        return codec(config).knnVectorsFormat().getMaxDimensions(Schema.VECTOR);
    }

    /**
     * English text analysis as in the BEIR BM25 baselines: standard tokenizer, possessive removal, lower case,
     * English stop words and the Porter stemmer.
     */
    static Analyzer analyzer() {
        return new EnglishAnalyzer();
    }

    static BM25Similarity similarity(LuceneIndexConfig config) {
        return new BM25Similarity(config.bm25K1(), config.bm25B());
    }

    static SearcherFactory searcherFactory(LuceneIndexConfig config) {
        BM25Similarity similarity = similarity(config);
        return new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
                IndexSearcher searcher = new IndexSearcher(reader);
                searcher.setSimilarity(similarity);
                return searcher;
            }
        };
    }

    /**
     * A writer that never commits on close: whatever was not committed is discarded, exactly as after a crash.
     *
     * @throws KeelException {@link ErrorCode#CONFLICT} when another process holds the collection's write lock
     */
    static IndexWriter openWriter(String collection, Directory directory, LuceneIndexConfig config, Analyzer analyzer,
                                  OpenMode mode) throws IOException {
        ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
        merges.setMaxMergesAndThreads(config.mergeThreads() + 5, config.mergeThreads());
        IndexWriterConfig iwc = new IndexWriterConfig(analyzer)
                .setOpenMode(mode)
                .setCodec(codec(config))
                .setSimilarity(similarity(config))
                .setRAMBufferSizeMB(config.ramBufferMb())
                .setMergeScheduler(merges)
                // Lucene would merge the small segments of a commit inside the commit, waiting up to 500 ms; with
                // vectors that merge rebuilds HNSW graphs, and streaming commits stalled for the whole 500 ms.
                // Merges run in the background scheduler instead.
                .setMaxFullFlushMergeWaitMillis(0)
                .setCommitOnClose(false);
        try {
            return new IndexWriter(directory, iwc);
        } catch (LockObtainFailedException e) {
            throw new KeelException(ErrorCode.CONFLICT, "collection '" + collection
                    + "' is being written by another Keel process; wait for it to finish (or stop it) and retry", e);
        }
    }
}
