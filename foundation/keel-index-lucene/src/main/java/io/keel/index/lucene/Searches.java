package io.keel.index.lucene;

import io.keel.core.query.Query;
import io.keel.core.query.RankFusion;
import io.keel.core.query.SearchHit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.VectorUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The three retrieval modes over one point-in-time searcher. Filters always run inside the search: as the
 * pre-filter of the HNSW query (Lucene then explores the graph only through matching chunks, or scans them exactly
 * when they are few) and as a {@code FILTER} clause of the BM25 query.
 */
final class Searches {
    private static final Comparator<ScoreDoc> BEST_FIRST =
            Comparator.comparingDouble((ScoreDoc d) -> -d.score).thenComparingInt(d -> d.doc);

    private final LuceneIndexConfig config;
    private final Analyzer analyzer;

    Searches(LuceneIndexConfig config, Analyzer analyzer) {
        this.config = config;
        this.analyzer = analyzer;
    }

    /**
     * @param unitVector the L2-normalised query embedding; null in bm25 mode
     */
    List<SearchHit> search(IndexSearcher searcher, Query query, float[] unitVector) throws IOException {
        org.apache.lucene.search.Query filter = query.filters().isEmpty() ? null : Queries.chunksMatching(query.filters());
        int topK = query.topK();
        List<ScoreDoc> ranked = switch (query.mode()) {
            case DENSE -> head(dense(searcher, unitVector, filter, topK, query.candidatesOr(config.denseCandidates())), topK);
            case BM25 -> head(bm25(searcher, query.text(), filter, topK), topK);
            // GRAPH reaches an index only as the hybrid pool of graph retrieval (io.keel.graph wraps the index store)
            case HYBRID, GRAPH -> RankFusion.fuse(
                    List.of(docIds(dense(searcher, unitVector, filter, query.candidatesOr(config.denseCandidates()),
                                    query.candidatesOr(config.denseCandidates()))),
                            docIds(bm25(searcher, query.text(), filter, query.candidatesOr(config.bm25Candidates())))),
                    new float[] {config.denseWeight(), config.bm25Weight()}, config.rrfK(), topK, Comparator.naturalOrder())
                    .stream().map(f -> new ScoreDoc(f.item(), f.score())).toList();
        };
        StoredFields stored = searcher.storedFields();
        List<SearchHit> hits = new ArrayList<>(ranked.size());
        for (ScoreDoc d : ranked) hits.add(Schema.hit(stored.document(d.doc), d.score));
        return hits;
    }

    /**
     * Nearest chunks by cosine similarity. HNSW is asked for {@code candidates} neighbours (at least {@code n}), which
     * is what makes the top few accurate. Scores are exact cosine similarities: Lucene's dot-product score
     * {@code (1 + cos) / 2} is mapped back, and quantized candidates are rescored with the stored full-precision
     * vectors, then re-ranked.
     */
    ScoreDoc[] dense(IndexSearcher searcher, float[] unitVector, org.apache.lucene.search.Query filter, int n,
                     int candidates) throws IOException {
        int k = Math.max(n, candidates);
        ScoreDoc[] docs = searcher.search(new KnnFloatVectorQuery(Schema.VECTOR, unitVector, k, filter), k).scoreDocs;
        if (config.quantization() == LuceneIndexConfig.Quantization.NONE) {
            for (ScoreDoc d : docs) d.score = 2 * d.score - 1;
        } else {
            docs = exactCosine(searcher, docs, unitVector);
        }
        return docs.length > n ? Arrays.copyOf(docs, n) : docs;
    }

    /** BM25 over title, heading path and text; no hits when the query has no indexable term. */
    ScoreDoc[] bm25(IndexSearcher searcher, String text, org.apache.lucene.search.Query filter, int n) throws IOException {
        org.apache.lucene.search.Query words = Queries.bagOfWords(analyzer, text);
        if (words == null) return new ScoreDoc[0];
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(words, Occur.MUST).add(Queries.CHUNKS, Occur.FILTER);
        if (filter != null) q.add(filter, Occur.FILTER);
        return searcher.search(q.build(), n).scoreDocs;
    }

    /** Every doc matching {@code query}, in no particular order. */
    static ScoreDoc[] all(IndexSearcher searcher, org.apache.lucene.search.Query query) throws IOException {
        int count = searcher.count(query);
        return count == 0 ? new ScoreDoc[0] : searcher.search(query, count).scoreDocs;
    }

    private static ScoreDoc[] exactCosine(IndexSearcher searcher, ScoreDoc[] docs, float[] unitVector) throws IOException {
        ScoreDoc[] byDoc = docs.clone();
        Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        FloatVectorValues values = null;
        KnnVectorValues.DocIndexIterator it = null;
        for (ScoreDoc d : byDoc) {
            int li = ReaderUtil.subIndex(d.doc, leaves);
            if (li != leafIndex) {
                leafIndex = li;
                values = leaves.get(li).reader().getFloatVectorValues(Schema.VECTOR);
                it = values.iterator();
            }
            int local = d.doc - leaves.get(li).docBase;
            if (it.docID() < local) it.advance(local);
            d.score = VectorUtil.dotProduct(unitVector, values.vectorValue(it.index()));
        }
        Arrays.sort(byDoc, BEST_FIRST);
        return byDoc;
    }

    private static List<Integer> docIds(ScoreDoc[] docs) {
        List<Integer> ids = new ArrayList<>(docs.length);
        for (ScoreDoc d : docs) ids.add(d.doc);
        return ids;
    }

    private static List<ScoreDoc> head(ScoreDoc[] docs, int n) {
        return Arrays.asList(docs).subList(0, Math.min(n, docs.length));
    }
}
