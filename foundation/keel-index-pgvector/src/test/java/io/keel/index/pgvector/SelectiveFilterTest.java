package io.keel.index.pgvector;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexedChunks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A filter matching 1 % of the chunks still returns k hits: the known pgvector pitfall is that HNSW finds
 * {@code ef_search} neighbours first and filters them afterwards, so a selective filter leaves almost nothing; the
 * iterative scan keeps walking the graph until it has k. The second test shows the pitfall on the same table with the
 * HNSW plan forced, so the first cannot pass by accident of the planner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelectiveFilterTest {
    private static final int DIMS = 64;
    private static final int DOCS = 2_000;
    private static final int CHUNKS_PER_DOC = 5;
    private static final EmbeddingModelInfo MODEL = new EmbeddingModelInfo("filter-model", "ab".repeat(32), DIMS, 256);

    private PgTestDatabase database;
    private IndexStore store;
    private CollectionIndex index;
    private final Random random = new Random(17);

    @BeforeAll
    void fill() {
        database = PgTestDatabase.create();
        store = database.open(MODEL, Clock.systemUTC(), Map.of());
        index = store.collection("filtered", true);
        for (int d = 0; d < DOCS; d++) {
            String id = "doc-" + d;
            String tenant = d % 100 == 0 ? "rare" : "common";
            Document doc = new Document(id, "Doc " + d, "src/" + id, "h" + d, Instant.EPOCH, "text/plain",
                    Map.of("team", d % 100 == 0 ? "needle" : "hay"), tenant, List.of(), List.of(Block.paragraph("x")));
            List<Chunk> chunks = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int c = 0; c < CHUNKS_PER_DOC; c++) {
                chunks.add(new Chunk(Chunk.idOf(id, c), id, c, "chunk " + c + " of document " + d + " about storage", List.of(), 8));
                vectors.add(randomVector());
            }
            index.upsert(doc, chunks, vectors);
        }
        index.commit();
        assertThat(index.info().chunks()).isEqualTo((long) DOCS * CHUNKS_PER_DOC);
    }

    @AfterAll
    void drop() {
        if (store != null) store.close();
        if (database != null) database.close();
    }

    @Test
    void aOnePercentFilterReturnsKHitsInEveryMode() {
        for (Filters filters : List.of(Filters.of(Map.of("tenant", List.of("rare"))), Filters.of(Map.of("team", List.of("needle"))))) {
            for (int q = 0; q < 5; q++) {
                float[] vector = randomVector();
                for (RetrievalMode mode : List.of(RetrievalMode.DENSE, RetrievalMode.HYBRID)) {
                    List<SearchHit> hits = index.search(new Query("storage", 10, mode, filters, "filtered"), vector);
                    assertThat(hits).as("%s hits under %s", mode, filters.terms()).hasSize(10);
                    assertThat(hits).allSatisfy(h -> assertThat(Integer.parseInt(h.documentId().substring(4)) % 100).isZero());
                }
            }
        }
    }

    @Test
    void withoutTheIterativeScanTheForcedHnswPlanLosesHits() throws Exception {
        float[] vector = randomVector();
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            var s = c.createStatement();
            s.execute("SET LOCAL enable_seqscan = off");
            s.execute("SET LOCAL enable_bitmapscan = off");
            s.execute("SET LOCAL enable_sort = off");
            s.execute("SET LOCAL hnsw.ef_search = 40");
            s.execute("SET LOCAL hnsw.iterative_scan = off");
            int plain = count(c, vector);
            s.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            int iterative = count(c, vector);
            c.rollback();
            assertThat(plain).as("rows of a plain HNSW scan under a 1%% filter").isLessThan(10);
            assertThat(iterative).as("rows of the iterative scan").isEqualTo(10);
        }
    }

    private static int count(Connection c, float[] vector) throws Exception {
        String sql = "SELECT count(*) FROM (SELECT row_id FROM keel_pgv_chunks_1 WHERE tenant = 'rare' "
                + "ORDER BY embedding <=> ?::vector LIMIT 10) hits";
        try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
            explain.setString(1, Rows.vector(vector));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
            assertThat(plan.toString()).as("the plan").contains("keel_pgv_chunks_1_hnsw");
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Rows.vector(vector));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private float[] randomVector() {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) v[i] = (float) random.nextGaussian();
        return IndexedChunks.unit(v);
    }
}
