package io.keel.index.pgvector;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexedDocument;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/**
 * The uncommitted writes of one collection: one transaction on a connection of its own, opened by the first write
 * (after checking the collection's model) and ended by {@link #commit()} or {@link #rollback()}. Writers are
 * serialised; readers never wait for them.
 */
final class Writes {
    private final String name;
    private final int id;
    private final EmbeddingModelInfo model;
    private final Connections db;
    private final Clock clock;
    private Connection tx;
    private boolean changed;

    Writes(CatalogRow row, EmbeddingModelInfo model, Connections db, Clock clock) {
        this.name = row.name();
        this.id = row.id();
        this.model = model;
        this.db = db;
        this.clock = clock;
    }

    synchronized void upsert(Document d, List<Chunk> chunks, List<float[]> unitVectors, long version) {
        run(c -> {
            lockDocument(c, d.id());
            deleteChunks(c, d.id());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Rows.docs(id) + " (document_id, source, title, "
                    + "content_hash, modified, media_type, tenant, acl, metadata, version, deleted, deleted_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, false, NULL) ON CONFLICT (document_id) DO UPDATE SET "
                    + "source = excluded.source, title = excluded.title, content_hash = excluded.content_hash, "
                    + "modified = excluded.modified, media_type = excluded.media_type, tenant = excluded.tenant, "
                    + "acl = excluded.acl, metadata = excluded.metadata, version = excluded.version, deleted = false, "
                    + "deleted_at = NULL")) {
                ps.setString(1, d.id());
                ps.setString(2, d.source());
                ps.setString(3, d.title());
                ps.setString(4, d.contentHash());
                ps.setString(5, d.modified().toString());
                ps.setString(6, d.mediaType());
                ps.setString(7, d.tenant());
                ps.setArray(8, c.createArrayOf("text", d.acl().toArray()));
                ps.setString(9, Rows.json(d.metadata()));
                setVersion(ps, 10, version);
                ps.executeUpdate();
            }
            if (chunks.isEmpty()) return;
            String[] meta = Rows.metaTerms(d.metadata());
            String metadata = Rows.json(d.metadata());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Rows.chunks(id) + " (chunk_id, document_id, "
                    + "ordinal, tokens, text, heading, title, source, media_type, tenant, acl, acl_open, meta, metadata, "
                    + "body, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, "
                    + "to_tsvector('english', ?), ?::vector)")) {
                for (int i = 0; i < chunks.size(); i++) {
                    Chunk ch = chunks.get(i);
                    ps.setString(1, ch.id());
                    ps.setString(2, d.id());
                    ps.setInt(3, ch.ordinal());
                    ps.setInt(4, ch.tokens());
                    ps.setString(5, ch.text());
                    ps.setArray(6, c.createArrayOf("text", ch.headingPath().toArray()));
                    ps.setString(7, d.title());
                    ps.setString(8, d.source());
                    ps.setString(9, d.mediaType());
                    ps.setString(10, d.tenant());
                    ps.setArray(11, c.createArrayOf("text", d.acl().toArray()));
                    ps.setBoolean(12, d.acl().isEmpty());
                    ps.setArray(13, c.createArrayOf("text", meta));
                    ps.setString(14, metadata);
                    ps.setString(15, ch.embeddingText(d.title()));
                    ps.setString(16, Rows.vector(unitVectors.get(i)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }, true);
    }

    /** Removes the document, its chunks and its tombstone; an unknown id changes nothing. */
    synchronized void delete(String documentId) {
        run(c -> {
            lockDocument(c, documentId);
            deleteChunks(c, documentId);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Rows.docs(id) + " WHERE document_id = ?")) {
                ps.setString(1, documentId);
                if (ps.executeUpdate() > 0) changed = true;
            }
        }, false);
    }

    /** Replaces the document and its chunks by a tombstone carrying {@code version}, stamped with the clock. */
    synchronized void tombstone(String documentId, long version) {
        run(c -> {
            lockDocument(c, documentId);
            deleteChunks(c, documentId);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Rows.docs(id) + " (document_id, version, deleted, "
                    + "deleted_at) VALUES (?, ?, true, ?) ON CONFLICT (document_id) DO UPDATE SET source = NULL, title = NULL, "
                    + "content_hash = NULL, modified = NULL, media_type = NULL, tenant = NULL, acl = NULL, metadata = NULL, "
                    + "version = excluded.version, deleted = true, deleted_at = excluded.deleted_at")) {
                ps.setString(1, documentId);
                ps.setLong(2, version);
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
        }, true);
    }

    synchronized void updateVersion(String documentId, long version) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + Rows.docs(id) + " SET version = ? WHERE document_id = ?")) {
                ps.setLong(1, version);
                ps.setString(2, documentId);
                if (ps.executeUpdate() > 0) changed = true;
            }
        }, false);
    }

    synchronized void purge(long deletedBeforeMillis) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Rows.docs(id) + " WHERE deleted AND deleted_at < ?")) {
                ps.setLong(1, deletedBeforeMillis);
                if (ps.executeUpdate() > 0) changed = true;
            }
        }, false);
    }

    /** Commits; the new version, or empty when nothing changed (the open transaction, if any, is then ended too). */
    synchronized OptionalLong commit() {
        if (tx == null) return OptionalLong.empty();
        try {
            if (!changed) {
                end(false);
                return OptionalLong.empty();
            }
            long version;
            try (PreparedStatement ps = tx.prepareStatement(
                    "UPDATE keel_pgv_collections SET version = version + 1 WHERE id = ? RETURNING version")) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = rs.getLong(1);
                }
            }
            end(true);
            return OptionalLong.of(version);
        } catch (SQLException e) {
            rollback();
            throw new KeelException(ErrorCode.UNAVAILABLE, "collection '" + name + "': commit failed: " + e.getMessage()
                    + "; the writes since the last commit are lost, the last commit is intact", e);
        }
    }

    /** Discards the uncommitted writes. */
    synchronized void rollback() {
        if (tx == null) return;
        try {
            end(false);
        } catch (SQLException ignored) {
            // the connection is gone; so is its transaction
        }
    }

    private void end(boolean commit) throws SQLException {
        Connection c = tx;
        tx = null;
        changed = false;
        try {
            if (commit) c.commit();
            else c.rollback();
        } finally {
            try {
                c.setAutoCommit(true);
            } finally {
                c.close();
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Connection c) throws SQLException;
    }

    /** Runs one write in the open transaction, inside a savepoint so a failed write leaves the others intact. */
    private void run(Step step, boolean changes) {
        try {
            Connection c = transaction();
            var savepoint = c.setSavepoint();
            try {
                step.run(c);
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                c.rollback(savepoint);
                throw e;
            }
            if (changes) changed = true;
        } catch (SQLException e) {
            throw new KeelException(ErrorCode.UNAVAILABLE, "collection '" + name + "': write failed: " + e.getMessage(), e);
        }
    }

    private Connection transaction() throws SQLException {
        if (tx != null) return tx;
        Connection c = db.connection();
        try {
            c.setAutoCommit(false);
            CatalogRow.byId(c, id).requireModel(model);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            c.setAutoCommit(true);
            c.close();
            throw e;
        }
        tx = c;
        return c;
    }

    /**
     * Holds the document until this transaction ends, against writers in other processes: two Keel instances writing
     * the same id at once (an HTTP push through each) would otherwise each delete the chunks they can see (none of the
     * other's, uncommitted) and both insert theirs. The second writer now waits for the first to commit and then
     * replaces its chunks. A transaction-level advisory lock on (collection, hash of the id): a hash collision only
     * makes two writers wait for each other.
     */
    private void lockDocument(Connection c, String documentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, id);
            ps.setString(2, documentId);
            ps.execute();
        }
    }

    private void deleteChunks(Connection c, String documentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + Rows.chunks(id) + " WHERE document_id = ?")) {
            ps.setString(1, documentId);
            ps.executeUpdate();
        }
    }

    private static void setVersion(PreparedStatement ps, int index, long version) throws SQLException {
        if (version == IndexedDocument.NO_VERSION) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, version);
    }
}
