package io.keel.graph.spi;

import java.util.List;
import java.util.Set;

/**
 * Which documents' evidence a caller may see: its tenant and ACL groups (a document with an empty ACL is readable by
 * everyone in its tenant), or everything for an unauthenticated caller in open mode.
 *
 * @param tenant null: every tenant (open mode)
 */
public record Visibility(String tenant, Set<String> groups) {
    public static final Visibility ALL = new Visibility(null, Set.of());

    public Visibility {
        groups = Set.copyOf(groups == null ? Set.of() : groups);
    }

    public boolean unrestricted() {
        return tenant == null;
    }

    public boolean allows(String docTenant, List<String> acl) {
        if (tenant == null) return true;
        if (!tenant.equals(docTenant)) return false;
        if (acl.isEmpty()) return true;
        for (String g : acl) if (groups.contains(g)) return true;
        return false;
    }
}
