package io.keel.index.pgvector;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.spi.ExportedDocument;
import io.keel.core.spi.IndexedDocument;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads a collection back, document by document with chunks and vectors, in the caller's snapshot. */
final class Export {
    private Export() {
    }

    static void run(Connection c, int id, Consumer<ExportedDocument> sink) throws SQLException {
        String docs = "SELECT document_id, source, title, content_hash, modified, media_type, tenant, acl, metadata::text, "
                + "version, deleted, deleted_at FROM " + Rows.docs(id) + " ORDER BY document_id";
        String chunks = "SELECT chunk_id, ordinal, text, heading, tokens, embedding::real[] FROM " + Rows.chunks(id)
                + " WHERE document_id = ? ORDER BY ordinal, row_id";
        try (PreparedStatement list = c.prepareStatement(docs); PreparedStatement parts = c.prepareStatement(chunks)) {
            list.setFetchSize(500);
            try (ResultSet rs = list.executeQuery()) {
                while (rs.next()) {
                    String documentId = rs.getString(1);
                    long version = rs.getLong(10);
                    if (rs.wasNull()) version = IndexedDocument.NO_VERSION;
                    if (rs.getBoolean(11)) {
                        sink.accept(ExportedDocument.tombstone(documentId, version, Instant.ofEpochMilli(rs.getLong(12))));
                        continue;
                    }
                    Document d = new Document(documentId, rs.getString(3), rs.getString(2), rs.getString(4),
                            Instant.parse(rs.getString(5)), rs.getString(6), Rows.metadata(rs.getString(9)), rs.getString(7),
                            Rows.strings(rs, 8), List.of());
                    List<Chunk> cs = new ArrayList<>();
                    List<float[]> vs = new ArrayList<>();
                    parts.setString(1, documentId);
                    try (ResultSet p = parts.executeQuery()) {
                        while (p.next()) {
                            cs.add(new Chunk(p.getString(1), documentId, p.getInt(2), p.getString(3), Rows.strings(p, 4), p.getInt(5)));
                            vs.add(Rows.floats(p, 6));
                        }
                    }
                    sink.accept(ExportedDocument.live(d, cs, vs, version));
                }
            }
        }
    }
}
