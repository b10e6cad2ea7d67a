package io.keel.core.document;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed source document, before chunking.
 *
 * @param id          stable id: the record id for JSONL corpora, otherwise derived from the source path
 * @param title       a human title (file name when the format has none)
 * @param source      where it came from (relative path or URI), shown in citations
 * @param contentHash SHA-256 of the raw bytes; unchanged hash means re-ingestion can skip the document
 * @param modified    last modification time of the source
 * @param mediaType   detected media type, e.g. {@code text/markdown}
 * @param metadata    free-form string metadata, filterable at query time
 * @param tenant      owning tenant ({@code "default"} until tenants are configured)
 * @param acl         principals allowed to read the document; empty means everyone in the tenant
 * @param blocks      the text in reading order
 */
public record Document(String id, String title, String source, String contentHash, Instant modified,
                       String mediaType, Map<String, String> metadata, String tenant, List<String> acl,
                       List<Block> blocks) {
    public static final String DEFAULT_TENANT = "default";

    public Document {
        requireText(id, "id");
        Objects.requireNonNull(source, "source");
        requireText(contentHash, "contentHash");
        Objects.requireNonNull(modified, "modified");
        title = title == null ? "" : title;
        mediaType = mediaType == null ? "application/octet-stream" : mediaType;
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
        acl = List.copyOf(acl == null ? List.of() : acl);
        blocks = List.copyOf(Objects.requireNonNull(blocks, "blocks"));
    }

    /** All block texts joined by blank lines. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append(b.text());
        }
        return sb.toString();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }
}
