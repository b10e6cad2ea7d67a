package io.keel.index.lucene;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.test.HashingEmbedder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Documents, vectors and models for tests, all deterministic. */
final class Fixtures {
    static final int DIMS = 8;
    static final EmbeddingModelInfo MODEL_A = new EmbeddingModelInfo("test-model-a", "a".repeat(64), DIMS, 256);
    static final EmbeddingModelInfo MODEL_B = new EmbeddingModelInfo("test-model-b", "b".repeat(64), 16, 256);

    /** Defaults, except that searches look for other processes' commits on every call. */
    static final LuceneIndexConfig CONFIG = LuceneIndexConfig.DEFAULTS.withRefreshInterval(Duration.ZERO);

    private Fixtures() {
    }

    static DocBuilder doc(String id) {
        return new DocBuilder(id);
    }

    static final class DocBuilder {
        private final String id;
        private String title = "";
        private String source;
        private String hash;
        private String tenant = Document.DEFAULT_TENANT;
        private String mediaType = "text/markdown";
        private List<String> acl = List.of();
        private Map<String, String> metadata = Map.of();

        DocBuilder(String id) {
            this.id = id;
            this.source = "docs/" + id + ".md";
            this.hash = "hash-" + id;
        }

        DocBuilder title(String t) { title = t; return this; }
        DocBuilder source(String s) { source = s; return this; }
        DocBuilder hash(String h) { hash = h; return this; }
        DocBuilder tenant(String t) { tenant = t; return this; }
        DocBuilder mediaType(String m) { mediaType = m; return this; }
        DocBuilder acl(String... principals) { acl = List.of(principals); return this; }
        DocBuilder metadata(Map<String, String> m) { metadata = m; return this; }

        Document build() {
            return new Document(id, title, source, hash, Instant.parse("2026-01-02T03:04:05.123456Z"), mediaType,
                    metadata, tenant, acl, List.of(Block.paragraph("unused")));
        }
    }

    static Chunk chunk(String documentId, int ordinal, String text, String... headings) {
        return new Chunk(Chunk.idOf(documentId, ordinal), documentId, ordinal, text, List.of(headings), 7);
    }

    /** The unit basis vector {@code e_i}, plus {@code noise} in the other dimensions. */
    static float[] near(int axis, double noise, Random random) {
        float[] v = new float[DIMS];
        v[axis] = 1;
        for (int i = 0; i < DIMS; i++) if (i != axis) v[i] = (float) (noise * random.nextDouble());
        return v;
    }

    static float[] axis(int axis) {
        float[] v = new float[DIMS];
        v[axis] = 1;
        return v;
    }

    static float[] randomVector(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    /** One chunk with one vector. */
    static void put(LuceneCollectionIndex index, Document doc, String text, float[] vector) {
        index.upsert(doc, List.of(chunk(doc.id(), 0, text)), List.of(vector));
    }

    /** A deterministic bag-of-words embedder ({@link HashingEmbedder}), which is all the reindex tests need. */
    static Embedder hashingEmbedder(EmbeddingModelInfo info) {
        return new HashingEmbedder(info);
    }
}
