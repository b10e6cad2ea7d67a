package io.keel.index.pgvector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.query.Filters;
import io.keel.core.query.SearchHit;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Conversions between Keel's types and the rows of a collection's tables: vectors, arrays, metadata, filters, hits. */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    /** The columns a hit is read from, in the order {@link #hit} reads them. */
    static final String HIT_COLUMNS = "row_id, document_id, chunk_id, text, source, title, heading, metadata::text";

    private Rows() {
    }

    static String docs(int collectionId) {
        return "keel_pgv_docs_" + collectionId;
    }

    static String chunks(int collectionId) {
        return "keel_pgv_chunks_" + collectionId;
    }

    /** The postings table of a collection's text search: one row per lexeme and chunk (see V2__postings.sql). */
    static String terms(int collectionId) {
        return "keel_pgv_terms_" + collectionId;
    }

    /** pgvector's text form, {@code [x,y,...]}: floats print their shortest exact decimal, so they read back unchanged. */
    static String vector(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    /** Reads a {@code vector::real[]} column; null for SQL null. */
    static float[] floats(ResultSet rs, int column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) return null;
        Object[] values = (Object[]) a.getArray();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = ((Number) values[i]).floatValue();
        return out;
    }

    static List<String> strings(ResultSet rs, int column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) return List.of();
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) out.add((String) o);
        return out;
    }

    static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> metadata(String json) {
        if (json == null) return Map.of();
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged metadata " + json, e);
        }
    }

    /** The filterable form of metadata: one {@code key=value} entry per pair, searched with a GIN index. */
    static String[] metaTerms(Map<String, String> metadata) {
        return metadata.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toArray(String[]::new);
    }

    /** A filter clause over chunk columns and the parameters it binds, in order. */
    record Clause(String sql, List<Object> params) {
        static final Clause NONE = new Clause("TRUE", List.of());

        int bind(PreparedStatement ps, int first) throws SQLException {
            int i = first;
            for (Object p : params) {
                if (p instanceof String[] values) ps.setArray(i++, ps.getConnection().createArrayOf("text", values));
                else ps.setObject(i++, p);
            }
            return i;
        }
    }

    /**
     * The filters as one SQL condition on chunk columns: built-in fields are columns, {@code acl} matches a chunk
     * naming one of the principals or having an empty ACL, any other field is a {@code key=value} entry of {@code meta}.
     */
    static Clause filter(Filters filters) {
        if (filters.isEmpty()) return Clause.NONE;
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        filters.terms().forEach((field, values) -> {
            String[] array = values.stream().sorted().toArray(String[]::new);
            switch (field) {
                case "document_id", "source", "tenant", "media_type" -> {
                    parts.add(field + " = ANY(?)");
                    params.add(array);
                }
                case "acl" -> {
                    parts.add("(acl_open OR acl && ?)");
                    params.add(array);
                }
                default -> {
                    parts.add("meta && ?");
                    params.add(values.stream().map(v -> field + "=" + v).sorted().toArray(String[]::new));
                }
            }
        });
        return new Clause(String.join(" AND ", parts), params);
    }

    /** Reads a hit from {@link #HIT_COLUMNS} starting at column 1. */
    static SearchHit hit(ResultSet rs, float score) throws SQLException {
        return new SearchHit(rs.getString(2), rs.getString(3), score, rs.getString(4), rs.getString(5), rs.getString(6),
                strings(rs, 7), metadata(rs.getString(8)));
    }

}
