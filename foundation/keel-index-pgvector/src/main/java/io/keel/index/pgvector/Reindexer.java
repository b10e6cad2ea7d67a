package io.keel.index.pgvector;

import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexedChunks;
import io.keel.core.spi.ReindexProgress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a collection's vectors with another embedding model, in the caller's transaction: the chunk texts are
 * re-embedded in batches, the vector column is retyped when the dimension changes, the HNSW index rebuilt, and the
 * catalog row moved to the new model with its version raised — all visible in one commit.
 */
final class Reindexer {
    static final int BATCH = 256;

    private Reindexer() {
    }

    static void run(Connection c, CatalogRow row, Embedder embedder, PgVectorIndexConfig config, ReindexProgress progress)
            throws SQLException {
        EmbeddingModelInfo target = embedder.info();
        String chunks = Rows.chunks(row.id());
        c.createStatement().execute("LOCK TABLE " + chunks + " IN SHARE ROW EXCLUSIVE MODE");
        c.createStatement().execute("DROP INDEX IF EXISTS " + chunks + "_hnsw");
        c.createStatement().execute("ALTER TABLE " + chunks + " ALTER COLUMN embedding TYPE vector(" + target.dimensions()
                + ") USING NULL");
        long total;
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + chunks)) {
            rs.next();
            total = rs.getLong(1);
        }
        List<Long> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long done = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT row_id, title, heading, text FROM " + chunks + " ORDER BY row_id");
             PreparedStatement update = c.prepareStatement("UPDATE " + chunks + " SET embedding = ?::vector WHERE row_id = ?")) {
            ps.setFetchSize(BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    texts.add(new io.keel.core.document.Chunk("", "", 0, rs.getString(4), Rows.strings(rs, 3), 0)
                            .embeddingText(rs.getString(2)));
                    if (texts.size() == BATCH) {
                        done += write(update, embedder, ids, texts);
                        progress.onProgress(done, total);
                    }
                }
            }
            done += write(update, embedder, ids, texts);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT keel_pgv_create_hnsw(?, ?, ?)")) {
            ps.setInt(1, row.id());
            ps.setInt(2, config.hnswM());
            ps.setInt(3, config.efConstruction());
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE keel_pgv_collections SET model_id = ?, model_checksum = ?, "
                + "dimensions = ?, fingerprint = ?, version = version + 1 WHERE id = ?")) {
            ps.setString(1, target.id());
            ps.setString(2, target.checksum());
            ps.setInt(3, target.dimensions());
            ps.setString(4, target.fingerprint());
            ps.setInt(5, row.id());
            ps.executeUpdate();
        }
        progress.onProgress(done, total);
    }

    private static int write(PreparedStatement update, Embedder embedder, List<Long> ids, List<String> texts)
            throws SQLException {
        if (texts.isEmpty()) return 0;
        List<float[]> vectors = embedder.embedAll(texts);
        if (vectors.size() != texts.size()) {
            throw KeelException.invalid("embedder " + embedder.info().fingerprint() + " returned " + vectors.size()
                    + " vectors for " + texts.size() + " texts");
        }
        for (int i = 0; i < ids.size(); i++) {
            float[] v = vectors.get(i);
            if (v.length != embedder.info().dimensions()) {
                throw KeelException.invalid("embedder " + embedder.info().fingerprint() + " returned a vector of "
                        + v.length + " dimensions");
            }
            update.setString(1, Rows.vector(IndexedChunks.unit(v)));
            update.setLong(2, ids.get(i));
            update.addBatch();
        }
        update.executeBatch();
        int n = texts.size();
        ids.clear();
        texts.clear();
        return n;
    }
}
