package io.keel.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The API key format and its hashing. A key reads {@code keel_live_<12 hex>_<43 base64url>}: the part before the
 * second underscore is the public id, the rest 256 random bits. Only {@code SHA-256(salt || secret)} is stored; a slow
 * password hash is not needed because the secret is random and 256 bits long, so the hash cannot be brute-forced.
 */
public final class ApiKeySecrets {
    public static final String PREFIX = "keel_live_";
    private static final Pattern KEY = Pattern.compile("keel_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeySecrets() {
    }

    /** A new key: its public id and the full secret key to show once. */
    public record Generated(String id, String key, String salt, String hash) {
    }

    public static Generated generate() {
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        byte[] salt = new byte[16];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        RANDOM.nextBytes(salt);
        String id = PREFIX + HEX.formatHex(idBytes);
        String key = id + "_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String saltHex = HEX.formatHex(salt);
        return new Generated(id, key, saltHex, hash(saltHex, key));
    }

    /** Whether {@code bearer} has the shape of a Keel API key. */
    public static boolean looksLikeKey(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    /** The public id of a well-formed key, or null. */
    public static String idOf(String bearer) {
        if (bearer == null || !KEY.matcher(bearer).matches()) return null;
        return bearer.substring(0, PREFIX.length() + 12);
    }

    /** Hex SHA-256 of the salt bytes followed by the key's UTF-8 bytes. */
    public static String hash(String saltHex, String key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(HEX.parseHex(saltHex));
            return HEX.formatHex(d.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Constant-time comparison of {@code key}'s hash with the stored one. */
    public static boolean matches(ApiKey stored, String key) {
        return MessageDigest.isEqual(HEX.parseHex(stored.hash()), HEX.parseHex(hash(stored.salt(), key)));
    }
}
