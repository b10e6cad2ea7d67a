package io.keel.ingest;

import io.keel.core.spi.CollectionIndex;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;

import java.nio.file.Path;
import java.util.List;

/**
 * An ingestion in a process of its own, for tests that kill it: {@code IngestProcess <dataDir> <input> <commitEvery>}.
 * Prints {@code committed <version> <documents>} after every commit and {@code done} at the end.
 */
public final class IngestProcess {
    private IngestProcess() {
    }

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        Path input = Path.of(args[1]);
        int commitEvery = Integer.parseInt(args[2]);
        try (OnnxEmbedder embedder = OnnxEmbedder.createDefault();
             LuceneIndexStore store = new LuceneIndexStore(data, embedder.info(), LuceneIndexConfig.DEFAULTS)) {
            CollectionIndex index = store.collection(CrashResumeTest.COLLECTION, true);
            IngestOptions options = IngestOptions.defaults().withCommitEvery(commitEvery).withBatchSize(8);
            new Ingestor(embedder, options).ingest(index, List.of(input), new ProgressListener() {
                @Override
                public void committed(long indexVersion, long documentsWritten) {
                    System.out.println("committed " + indexVersion + " " + documentsWritten);
                    System.out.flush();
                }
            });
        }
        System.out.println("done");
        System.out.flush();
    }
}
