package io.keel.index.pgvector;

import io.keel.core.error.ModelMismatchException;
import io.keel.core.spi.EmbeddingModelInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code keel_pgv_collections}: a collection's id (naming its tables), the model that built its vectors and
 * its commit version.
 */
record CatalogRow(int id, String name, String fingerprint, int dimensions, long version) {
    static final String COLUMNS = "id, name, fingerprint, dimensions, version";

    static Optional<CatalogRow> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM keel_pgv_collections WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static CatalogRow byId(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM keel_pgv_collections WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("collection #" + id + " was dropped");
                return read(rs);
            }
        }
    }

    static List<String> names(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM keel_pgv_collections ORDER BY name")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    /** Creates the catalog row and the collection's tables, at version 0 under {@code model}, in the caller's transaction. */
    static CatalogRow create(Connection c, String name, EmbeddingModelInfo model, PgVectorIndexConfig config) throws SQLException {
        int id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO keel_pgv_collections "
                + "(name, model_id, model_checksum, dimensions, fingerprint) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setString(2, model.id());
            ps.setString(3, model.checksum());
            ps.setInt(4, model.dimensions());
            ps.setString(5, model.fingerprint());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT keel_pgv_create_collection(?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setInt(2, model.dimensions());
            ps.setInt(3, config.hnswM());
            ps.setInt(4, config.efConstruction());
            ps.execute();
        }
        return new CatalogRow(id, name, model.fingerprint(), model.dimensions(), 0);
    }

    static CatalogRow read(ResultSet rs) throws SQLException {
        return new CatalogRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5));
    }

    boolean builtBy(EmbeddingModelInfo model) {
        return fingerprint.equals(model.fingerprint()) && dimensions == model.dimensions();
    }

    /** Throws {@link ModelMismatchException} (naming {@code keel reindex}) unless {@code model} built the vectors. */
    CatalogRow requireModel(EmbeddingModelInfo model) {
        if (!builtBy(model)) {
            throw new ModelMismatchException(name, fingerprint + " (" + dimensions + " dimensions)",
                    model.fingerprint() + " (" + model.dimensions() + " dimensions)");
        }
        return this;
    }
}
