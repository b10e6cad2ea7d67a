package io.keel.stream;

import io.keel.core.error.KeelException;

import java.util.Locale;
import java.util.Map;

/** Typed reads of flat {@code a.b.c -> value} settings, failing with the full key. Shared by the config records. */
public final class Settings {
    private Settings() {
    }

    /** A string, or {@code fallback} when absent or blank. */
    public static String string(Map<String, ?> settings, String key, String fallback) {
        Object v = settings.get(key);
        if (v == null || v.toString().isBlank()) return fallback;
        return v.toString().strip();
    }

    /** A required non-blank string. */
    public static String required(Map<String, ?> settings, String key, String hint) {
        String v = string(settings, key, null);
        if (v == null) throw KeelException.invalid(key + " is required" + (hint == null ? "" : ": " + hint));
        return v;
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public static long longValue(Map<String, ?> settings, String key, long fallback, long min, long max) {
        Object v = settings.get(key);
        if (v == null || v.toString().isBlank()) return fallback;
        long value;
        try {
            value = v instanceof Number n && !(v instanceof Double || v instanceof Float) ? n.longValue() : Long.parseLong(v.toString().strip());
        } catch (NumberFormatException e) {
            throw KeelException.invalid(key + " must be a whole number; got '" + v + "'");
        }
        if (value < min || value > max) throw KeelException.invalid(key + " must be between " + min + " and " + max + "; got " + value);
        return value;
    }

    /** {@code true} or {@code false}, or {@code fallback} when absent. */
    public static boolean bool(Map<String, ?> settings, String key, boolean fallback) {
        Object v = settings.get(key);
        if (v == null || v.toString().isBlank()) return fallback;
        if (v instanceof Boolean b) return b;
        return switch (v.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw KeelException.invalid(key + " must be true or false; got '" + v + "'");
        };
    }
}
