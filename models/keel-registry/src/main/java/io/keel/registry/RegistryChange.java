package io.keel.registry;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A committed change, told to {@link ModelRegistry#addListener listeners} so a running server can re-resolve the
 * models it serves without a restart.
 *
 * @param generation the registry generation after the change
 * @param entries    the audit entries the change wrote (for an external change: all of them since the last one seen)
 * @param external   true when another process or registry instance made the change and a {@link RegistryWatcher}
 *                   noticed it; false when this instance made it
 */
public record RegistryChange(long generation, List<AuditEntry> entries, boolean external) {
    public RegistryChange {
        entries = List.copyOf(entries);
    }

    /** The models the change touched. */
    public Set<String> models() {
        Set<String> out = new TreeSet<>();
        for (AuditEntry e : entries) out.add(e.model());
        return out;
    }
}
