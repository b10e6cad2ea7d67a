package io.keel.core.security;

import java.util.List;

/**
 * An append-only record of security-relevant actions: keys created and revoked, role changes, model promotions and
 * rollbacks, policy and prompt-label changes, document deletes, quarantine releases, request-log purges and admin
 * reads of another tenant's data. Implementations chain entries by hash so that an edited, removed, inserted or
 * reordered entry is found by {@link #verify()}.
 */
public interface AuditLog {
    /** Records {@code event} (stamped with the log's clock when it has no time) and returns the stored entry. */
    AuditEntry append(AuditEvent event);

    /** Entries matching {@code query}, newest first. */
    List<AuditEntry> find(AuditQuery query);

    /** Walks the whole chain and reports the first entry that does not belong where it is. */
    AuditVerification verify();

    /** Keeps nothing: for embedded uses with no store. */
    AuditLog NONE = new AuditLog() {
        @Override
        public AuditEntry append(AuditEvent event) {
            return new AuditEntry(0, event, "", "");
        }

        @Override
        public List<AuditEntry> find(AuditQuery query) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return new AuditVerification(0, null, null, "0".repeat(64));
        }
    };
}
