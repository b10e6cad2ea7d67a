package io.keel.index.lucene;

import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class QuantizationTest {
    private static final int DIMS = 32;
    private static final io.keel.core.spi.EmbeddingModelInfo MODEL =
            new io.keel.core.spi.EmbeddingModelInfo("test-32", "c".repeat(64), DIMS, 256);

    @TempDir
    Path dataDir;


    @ParameterizedTest
    @EnumSource(LuceneIndexConfig.Quantization.class)
    void vectorsAreStoredInTheConfiguredFormatAndScoredExactly(LuceneIndexConfig.Quantization quantization) throws Exception {
        Random random = new Random(11);
        List<float[]> vectors = new ArrayList<>();
        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, MODEL, Fixtures.CONFIG.withQuantization(quantization))) {
            LuceneCollectionIndex index = store.collection("q", true);
            for (int i = 0; i < 300; i++) {
                float[] v = Fixtures.randomVector(random, DIMS);
                vectors.add(v);
                Document d = Fixtures.doc("d" + i).build();
                Fixtures.put(index, d, "text " + i, v);
            }
            index.commit();

            for (int i = 0; i < 300; i += 30) {
                List<SearchHit> hits = index.search(new Query("q", 5, RetrievalMode.DENSE, Filters.NONE, "q"), vectors.get(i));
                assertThat(hits.getFirst().documentId()).isEqualTo("d" + i);
                assertThat(hits.getFirst().score()).as("exact cosine of a vector with itself").isCloseTo(1f, offset(1e-5f));
                assertThat(hits.get(1).score()).isLessThan(hits.getFirst().score());
            }
            float[] original = vectors.get(7);
            assertThat(index.chunkVectors("d7").values()).as("the full-precision vector is read back, not the quantized one")
                    .singleElement().satisfies(v -> assertThat(VectorUtil.cosine(v, original)).isCloseTo(1f, offset(1e-5f)));
        }

        String expected = quantization == LuceneIndexConfig.Quantization.INT8
                ? "Lucene99HnswScalarQuantizedVectorsFormat" : "Lucene99HnswVectorsFormat";
        assertThat(vectorFormats(dataDir.resolve("collections").resolve("q"))).containsExactly(expected);
    }

    private static Set<String> vectorFormats(Path collection) throws Exception {
        Set<String> formats = new HashSet<>();
        try (FSDirectory dir = FSDirectory.open(collection); DirectoryReader reader = DirectoryReader.open(dir)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                var info = leaf.reader().getFieldInfos().fieldInfo(Schema.VECTOR);
                if (info != null) formats.add(info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
            }
        }
        return formats;
    }
}
