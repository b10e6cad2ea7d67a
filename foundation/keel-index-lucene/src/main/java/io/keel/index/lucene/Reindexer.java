package io.keel.index.lucene;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexedChunks;
import io.keel.core.spi.ReindexProgress;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig.OpenMode;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites a collection with vectors from another embedding model. The chunk texts stored in the last commit are
 * re-embedded in batches; the new index is built by the same writer after {@code deleteAll()}, so it becomes
 * visible in one commit and a failure (or a crash) at any point leaves the old commit as it was.
 */
final class Reindexer {
    /** Chunks per {@link Embedder#embedAll} call: large enough for throughput, small enough for steady progress. */
    static final int BATCH = 256;

    private record Pending(Document document, List<Chunk> chunks, long version) {
    }

    private Reindexer() {
    }

    /** Returns the data of the new commit. */
    static CommitData run(String collection, Path path, Embedder embedder, LuceneIndexConfig config,
                          ReindexProgress progress) throws IOException {
        EmbeddingModelInfo target = embedder.info();
        try (Directory directory = FSDirectory.open(path);
             Analyzer analyzer = LuceneSetup.analyzer();
             DirectoryReader old = DirectoryReader.open(directory)) {
            CommitData before = CommitData.parse(collection, old.getIndexCommit().getUserData());
            IndexSearcher searcher = new IndexSearcher(old);
            StoredFields stored = searcher.storedFields();
            long total = searcher.count(Queries.CHUNKS);
            IndexWriter writer = LuceneSetup.openWriter(collection, directory, config, analyzer, OpenMode.APPEND);
            try {
                writer.deleteAll();
                long done = 0;
                List<Pending> batch = new ArrayList<>();
                int batchChunks = 0;
                for (ScoreDoc record : Searches.all(searcher, Queries.DOCUMENT_RECORDS)) {
                    var fields = stored.document(record.doc);
                    Document doc = Schema.readDocument(fields);
                    List<Chunk> chunks = chunksOf(searcher, stored, doc.id());
                    batch.add(new Pending(doc, chunks, Schema.version(searcher, record.doc)));
                    batchChunks += chunks.size();
                    if (batchChunks >= BATCH) {
                        done += write(writer, embedder, target, batch);
                        progress.onProgress(done, total);
                        batch.clear();
                        batchChunks = 0;
                    }
                }
                done += write(writer, embedder, target, batch);
                long now = System.currentTimeMillis();
                for (ScoreDoc tombstone : Searches.all(searcher, Queries.TOMBSTONES)) {
                    var fields = stored.document(tombstone.doc);
                    writer.addDocument(Schema.tombstone(fields.get(Schema.DOCUMENT_ID), Schema.version(searcher, tombstone.doc),
                            Schema.deletedAt(searcher, tombstone.doc, now)));
                }
                CommitData after = CommitData.of(target, before.version() + 1);
                writer.setLiveCommitData(after.toMap().entrySet());
                writer.commit();
                writer.close();
                progress.onProgress(done, total);
                return after;
            } catch (IOException | RuntimeException | Error e) {
                IOUtils.closeWhileHandlingException(writer::rollback);
                throw e;
            }
        }
    }

    private static List<Chunk> chunksOf(IndexSearcher searcher, StoredFields stored, String documentId) throws IOException {
        org.apache.lucene.search.Query q = new BooleanQuery.Builder()
                .add(Queries.CHUNKS, Occur.FILTER)
                .add(new TermQuery(Schema.documentTerm(documentId)), Occur.FILTER)
                .build();
        List<Chunk> chunks = new ArrayList<>();
        for (ScoreDoc d : Searches.all(searcher, q)) chunks.add(Schema.readChunk(stored.document(d.doc)));
        chunks.sort(Comparator.comparingInt(Chunk::ordinal));
        return chunks;
    }

    private static int write(IndexWriter writer, Embedder embedder, EmbeddingModelInfo target, List<Pending> batch)
            throws IOException {
        List<String> texts = new ArrayList<>();
        for (Pending p : batch) {
            for (Chunk c : p.chunks()) texts.add(c.embeddingText(p.document().title()));
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
        if (vectors.size() != texts.size()) {
            throw KeelException.invalid("embedder " + target.fingerprint() + " returned " + vectors.size()
                    + " vectors for " + texts.size() + " texts");
        }
        int next = 0;
        for (Pending p : batch) {
            List<float[]> unit = new ArrayList<>(p.chunks().size());
            for (int i = 0; i < p.chunks().size(); i++) unit.add(vectors.get(next++));
            IndexedChunks.validate(p.document(), p.chunks(), unit, target.dimensions());
            unit.replaceAll(IndexedChunks::unit);
            writer.addDocuments(Schema.luceneDocuments(p.document(), p.chunks(), unit, p.version()));
        }
        return texts.size();
    }
}
