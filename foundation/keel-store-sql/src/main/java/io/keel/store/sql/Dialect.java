package io.keel.store.sql;

/** The SQL databases Keel stores its records in; each module ships its migrations per dialect. */
public enum Dialect {
    SQLITE, POSTGRESQL;

    /** The folder name under {@code db/<module>/} that holds this dialect's migrations. */
    public String folder() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
