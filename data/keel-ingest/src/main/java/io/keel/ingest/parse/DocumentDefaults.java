package io.keel.ingest.parse;

import io.keel.core.document.Document;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the caller says about every document of an ingestion: who owns it, who may read it, and metadata to attach.
 * Record-level metadata (a JSONL record's {@code metadata} object) is merged over {@link #metadata()}.
 *
 * @param tenant   owning tenant; blank means {@link Document#DEFAULT_TENANT}
 * @param acl      principals allowed to read; empty means everyone in the tenant
 * @param metadata string metadata added to every document
 */
public record DocumentDefaults(String tenant, List<String> acl, Map<String, String> metadata) {
    public static final DocumentDefaults NONE = new DocumentDefaults(Document.DEFAULT_TENANT, List.of(), Map.of());

    public DocumentDefaults {
        tenant = tenant == null || tenant.isBlank() ? Document.DEFAULT_TENANT : tenant;
        acl = List.copyOf(Objects.requireNonNullElse(acl, List.of()));
        metadata = Map.copyOf(Objects.requireNonNullElse(metadata, Map.of()));
    }
}
