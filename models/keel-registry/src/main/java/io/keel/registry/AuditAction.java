package io.keel.registry;

import java.util.Locale;

/** What an audit entry records; every change to the registry writes at least one entry. */
public enum AuditAction {
    REGISTER, PROMOTE, ROLLBACK, ARCHIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AuditAction parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
