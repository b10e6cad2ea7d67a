package io.keel.registry;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.Locale;

/**
 * Where a model version stands in its release cycle. {@link #STAGING} and {@link #PRODUCTION} are held by at most one
 * version of a model at a time, so "the production version" is always one answer; development and archived versions
 * can be many.
 */
public enum Stage {
    DEVELOPMENT, STAGING, PRODUCTION, ARCHIVED;

    /** Whether at most one version of a model holds this stage. */
    public boolean exclusive() {
        return this == STAGING || this == PRODUCTION;
    }

    /** The lower-case name used in the database, the API and the CLI, e.g. {@code production}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name (case-insensitive). */
    public static Stage parse(String value) {
        if (value != null) {
            for (Stage s : values()) if (s.wireName().equalsIgnoreCase(value.trim())) return s;
        }
        throw new KeelException(ErrorCode.UNPROCESSABLE, "unknown stage '" + value
                + "'; use one of development, staging, production, archived");
    }

    @Override
    public String toString() {
        return wireName();
    }
}
