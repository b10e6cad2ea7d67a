package io.keel.app;

import io.keel.core.error.KeelException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The one way Keel's API and CLI read a point in time from a user. */
public final class Times {
    private Times() {
    }

    /**
     * An ISO-8601 instant ({@code 2026-11-29T10:00:00Z}) or a date ({@code 2026-11-29}, meaning its UTC midnight);
     * null for null.
     *
     * @param name the parameter or option, for the error message
     */
    public static Instant parse(String name, String value) {
        if (value == null) return null;
        String v = value.strip();
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw KeelException.invalid("'" + name + "' must be an ISO-8601 instant (2026-11-29T10:00:00Z) or a date (2026-11-29); got '" + value + "'");
        }
    }
}
