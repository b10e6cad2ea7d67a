package io.keel.index.lucene;

import java.nio.file.Path;
import java.util.Random;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: commits one document, then writes enough uncommitted documents
 * through a 1 MB buffer that segments are flushed to disk, and halts the JVM without closing anything.
 */
final class CrashingIngest {
    static final int LOST = 3_000;

    private CrashingIngest() {
    }

    public static void main(String[] args) {
        LuceneIndexStore store = new LuceneIndexStore(Path.of(args[0]), Fixtures.MODEL_A, Fixtures.CONFIG.withRamBufferMb(1));
        LuceneCollectionIndex index = store.collection("crash", true);
        Fixtures.put(index, Fixtures.doc("committed").build(), "the committed document", Fixtures.axis(0));
        index.commit();
        Random random = new Random(7);
        String padding = "uncommitted words that fill the indexing buffer ".repeat(8);
        for (int i = 0; i < LOST; i++) {
            Fixtures.put(index, Fixtures.doc("lost-" + i).build(), padding + i, Fixtures.randomVector(random, Fixtures.DIMS));
        }
        System.out.println("written");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
