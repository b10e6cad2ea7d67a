package io.keel.index.lucene;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.IndexedDocument;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lucene documents of one collection. Each Keel document becomes one <em>document record</em> (its identity and
 * content hash, so re-ingestion can skip it even when it produced no chunks) followed by one Lucene document per
 * chunk. Both kinds carry {@link #DOCUMENT_ID}, so one term replaces or deletes everything of a document. Chunks
 * repeat the document's filterable fields, so filters run on the chunks themselves.
 */
final class Schema {
    static final String KIND = "kind";
    static final String KIND_DOCUMENT = "document";
    static final String KIND_CHUNK = "chunk";
    /** What a versioned delete leaves: the id and the version, so an older delivery arriving later is recognised. */
    static final String KIND_TOMBSTONE = "tombstone";

    static final String DOCUMENT_ID = "document_id";
    static final String SOURCE = "source";
    static final String TITLE = "title";
    static final String CONTENT_HASH = "content_hash";
    /**
     * Doc values: the version a streaming source wrote the document (or its tombstone) with; absent for batch
     * ingestion. {@link LuceneCollectionIndex#updateVersion} sets it on every Lucene document of the id.
     */
    static final String VERSION = "version";
    /** Doc values on tombstones: when the delete was written (epoch milliseconds), for purging old tombstones. */
    static final String DELETED_AT = "deleted_at";
    static final String MODIFIED = "modified";
    static final String MEDIA_TYPE = "media_type";
    static final String TENANT = "tenant";
    static final String ACL = "acl";
    /** Set on documents with an empty ACL, which everyone in the tenant may read. */
    static final String ACL_OPEN = "acl_open";
    static final String META_PREFIX = "meta.";

    static final String CHUNK_ID = "chunk_id";
    static final String ORDINAL = "ordinal";
    static final String TOKENS = "tokens";
    static final String TEXT = "text";
    static final String HEADING = "heading";
    /** Analyzed, unstored: title, heading path and chunk text, the field BM25 searches. */
    static final String BODY = "body";
    static final String VECTOR = "vector";

    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    private Schema() {
    }

    static Term documentTerm(String documentId) {
        return new Term(DOCUMENT_ID, documentId);
    }

    private static final BytesRef DOCUMENT_KIND = new BytesRef(KIND_DOCUMENT);
    private static final BytesRef TOMBSTONE_KIND = new BytesRef(KIND_TOMBSTONE);

    /**
     * The reader-wide doc id of the live record of {@code documentId} (with {@code tombstones}, also of its tombstone),
     * or -1. A point lookup in each segment's terms dictionary: streaming applies look up every event's id, and a
     * query (rewrite, weight, scorer, collector per segment) cost several times as much.
     */
    static int recordOf(IndexReader reader, String documentId, boolean tombstones) throws IOException {
        BytesRef id = new BytesRef(documentId);
        for (LeafReaderContext leaf : reader.leaves()) {
            Terms ids = leaf.reader().terms(DOCUMENT_ID);
            if (ids == null) continue;
            TermsEnum terms = ids.iterator();
            if (!terms.seekExact(id)) continue;
            PostingsEnum docs = terms.postings(null, PostingsEnum.NONE);
            Bits live = leaf.reader().getLiveDocs();
            for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if (live != null && !live.get(doc)) continue;
                if (hasKind(leaf, DOCUMENT_KIND, doc) || tombstones && hasKind(leaf, TOMBSTONE_KIND, doc)) {
                    return leaf.docBase + doc;
                }
            }
        }
        return -1;
    }

    private static boolean hasKind(LeafReaderContext leaf, BytesRef kind, int doc) throws IOException {
        Terms kinds = leaf.reader().terms(KIND);
        if (kinds == null) return false;
        TermsEnum terms = kinds.iterator();
        if (!terms.seekExact(kind)) return false;
        return terms.postings(null, PostingsEnum.NONE).advance(doc) == doc;
    }

    /**
     * The record followed by the chunks, ready for {@code IndexWriter.updateDocuments}; the record carries
     * {@code version} unless it is {@link IndexedDocument#NO_VERSION}.
     */
    static List<List<IndexableField>> luceneDocuments(Document doc, List<Chunk> chunks, List<float[]> unitVectors, long version) {
        List<List<IndexableField>> docs = new ArrayList<>(chunks.size() + 1);
        List<IndexableField> record = record(doc);
        if (version != IndexedDocument.NO_VERSION) record.add(new NumericDocValuesField(VERSION, version));
        docs.add(record);
        for (int i = 0; i < chunks.size(); i++) docs.add(chunk(doc, chunks.get(i), unitVectors.get(i)));
        return docs;
    }

    private static List<IndexableField> record(Document doc) {
        List<IndexableField> f = new ArrayList<>();
        f.add(new StringField(KIND, KIND_DOCUMENT, Store.NO));
        f.add(new StringField(DOCUMENT_ID, doc.id(), Store.YES));
        f.add(new StringField(SOURCE, doc.source(), Store.YES));
        f.add(new StoredField(TITLE, doc.title()));
        f.add(new StoredField(CONTENT_HASH, doc.contentHash()));
        f.add(new StoredField(MODIFIED, doc.modified().toString()));
        f.add(new StringField(MEDIA_TYPE, doc.mediaType(), Store.YES));
        f.add(new StringField(TENANT, doc.tenant(), Store.YES));
        for (String principal : doc.acl()) f.add(new StringField(ACL, principal, Store.YES));
        if (doc.acl().isEmpty()) f.add(new StringField(ACL_OPEN, "true", Store.NO));
        doc.metadata().forEach((k, v) -> f.add(new StringField(META_PREFIX + k, v, Store.YES)));
        return f;
    }

    /** The only Lucene document a versioned delete leaves of {@code documentId}; {@code deletedAt} in epoch ms. */
    static List<IndexableField> tombstone(String documentId, long version, long deletedAt) {
        List<IndexableField> f = new ArrayList<>();
        f.add(new StringField(KIND, KIND_TOMBSTONE, Store.NO));
        f.add(new StringField(DOCUMENT_ID, documentId, Store.YES));
        f.add(new NumericDocValuesField(VERSION, version));
        f.add(new NumericDocValuesField(DELETED_AT, deletedAt));
        return f;
    }

    /**
     * When tombstone {@code doc} of {@code searcher} was written, in epoch ms; {@code fallback} for tombstones written
     * before deletion times were recorded.
     */
    static long deletedAt(IndexSearcher searcher, int doc, long fallback) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        NumericDocValues values = leaf.reader().getNumericDocValues(DELETED_AT);
        return values != null && values.advanceExact(doc - leaf.docBase) ? values.longValue() : fallback;
    }

    /**
     * The version of the record or tombstone {@code doc} of {@code searcher}; {@code NO_VERSION} when it was written
     * without one. Versions live in doc values so that {@code IndexWriter.updateNumericDocValue} can raise them
     * without rewriting the document.
     */
    static long version(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        NumericDocValues values = leaf.reader().getNumericDocValues(VERSION);
        return values != null && values.advanceExact(doc - leaf.docBase) ? values.longValue() : IndexedDocument.NO_VERSION;
    }

    private static List<IndexableField> chunk(Document doc, Chunk chunk, float[] unitVector) {
        List<IndexableField> f = new ArrayList<>();
        f.add(new StringField(KIND, KIND_CHUNK, Store.NO));
        f.add(new StringField(DOCUMENT_ID, doc.id(), Store.YES));
        f.add(new StringField(CHUNK_ID, chunk.id(), Store.YES));
        f.add(new StoredField(ORDINAL, chunk.ordinal()));
        f.add(new StoredField(TOKENS, chunk.tokens()));
        f.add(new StoredField(TEXT, chunk.text()));
        for (String h : chunk.headingPath()) f.add(new StoredField(HEADING, h));
        f.add(new StoredField(TITLE, doc.title()));
        f.add(new StringField(SOURCE, doc.source(), Store.YES));
        f.add(new StringField(MEDIA_TYPE, doc.mediaType(), Store.NO));
        f.add(new StringField(TENANT, doc.tenant(), Store.NO));
        for (String principal : doc.acl()) f.add(new StringField(ACL, principal, Store.NO));
        if (doc.acl().isEmpty()) f.add(new StringField(ACL_OPEN, "true", Store.NO));
        doc.metadata().forEach((k, v) -> f.add(new StringField(META_PREFIX + k, v, Store.YES)));
        f.add(new TextField(BODY, bm25Text(doc.title(), chunk), Store.NO));
        f.add(new KnnFloatVectorField(VECTOR, unitVector, SIMILARITY));
        return f;
    }

    /** Title, heading path (without a repeated title) and text: what BM25 matches against. */
    static String bm25Text(String title, Chunk chunk) {
        return chunk.embeddingText(title);
    }

    /** Rebuilds a Keel document (without blocks) from its stored record. */
    static Document readDocument(org.apache.lucene.document.Document stored) {
        return new Document(stored.get(DOCUMENT_ID), stored.get(TITLE), stored.get(SOURCE), stored.get(CONTENT_HASH),
                Instant.parse(stored.get(MODIFIED)), stored.get(MEDIA_TYPE), metadata(stored), stored.get(TENANT),
                List.of(stored.getValues(ACL)), List.of());
    }

    /** Rebuilds a chunk from its stored fields. */
    static Chunk readChunk(org.apache.lucene.document.Document stored) {
        return new Chunk(stored.get(CHUNK_ID), stored.get(DOCUMENT_ID), intValue(stored, ORDINAL), stored.get(TEXT),
                List.of(stored.getValues(HEADING)), intValue(stored, TOKENS));
    }

    /** The vector of chunk {@code doc} (reader-wide id), or null when it has none. */
    static float[] vector(IndexReader reader, int doc) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (values == null) return null;
        KnnVectorValues.DocIndexIterator it = values.iterator();
        int local = doc - leaf.docBase;
        return it.advance(local) == local ? values.vectorValue(it.index()).clone() : null;
    }

    static SearchHit hit(org.apache.lucene.document.Document stored, float score) {
        return new SearchHit(stored.get(DOCUMENT_ID), stored.get(CHUNK_ID), score, stored.get(TEXT), stored.get(SOURCE),
                stored.get(TITLE), List.of(stored.getValues(HEADING)), metadata(stored));
    }

    private static Map<String, String> metadata(org.apache.lucene.document.Document stored) {
        Map<String, String> m = new HashMap<>();
        for (IndexableField f : stored.getFields()) {
            if (f.name().startsWith(META_PREFIX)) m.put(f.name().substring(META_PREFIX.length()), f.stringValue());
        }
        return m;
    }

    private static int intValue(org.apache.lucene.document.Document stored, String field) {
        IndexableField f = stored.getField(field);
        return f == null ? 0 : f.numericValue().intValue();
    }
}
