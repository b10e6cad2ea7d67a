package io.keel.index.lucene;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.spi.ExportedDocument;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads one point-in-time searcher back: documents with their chunks and stored vectors, then tombstones. */
final class Exporter {
    private Exporter() {
    }

    static void run(IndexSearcher searcher, Consumer<ExportedDocument> sink) throws IOException {
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc record : Searches.all(searcher, Queries.DOCUMENT_RECORDS)) {
            Document doc = Schema.readDocument(stored.document(record.doc));
            List<Chunk> chunks = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            org.apache.lucene.search.Query q = new BooleanQuery.Builder()
                    .add(Queries.CHUNKS, Occur.FILTER)
                    .add(new TermQuery(Schema.documentTerm(doc.id())), Occur.FILTER)
                    .build();
            List<ScoreDoc> hits = new ArrayList<>(List.of(Searches.all(searcher, q)));
            List<Chunk> read = new ArrayList<>();
            for (ScoreDoc h : hits) read.add(Schema.readChunk(stored.document(h.doc)));
            Integer[] order = new Integer[hits.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> read.get(i).ordinal()));
            for (int i : order) {
                chunks.add(read.get(i));
                vectors.add(Schema.vector(searcher.getIndexReader(), hits.get(i).doc));
            }
            sink.accept(ExportedDocument.live(doc, chunks, vectors, Schema.version(searcher, record.doc)));
        }
        for (ScoreDoc tombstone : Searches.all(searcher, Queries.TOMBSTONES)) {
            String id = stored.document(tombstone.doc).get(Schema.DOCUMENT_ID);
            sink.accept(ExportedDocument.tombstone(id, Schema.version(searcher, tombstone.doc),
                    Instant.ofEpochMilli(Schema.deletedAt(searcher, tombstone.doc, System.currentTimeMillis()))));
        }
    }
}
