package io.keel.graph.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable, URL-safe entity ids: {@code e} and the first 16 hex digits of the SHA-256 of the entity's key. */
public final class EntityIds {
    private EntityIds() {
    }

    public static String of(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "e" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code id} has the shape of an entity id (checked before it reaches a query). */
    public static boolean valid(String id) {
        return id != null && id.matches("e[0-9a-f]{16}");
    }
}
