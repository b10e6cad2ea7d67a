package io.keel.experiments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The deterministic hash behind assignment: the first 8 bytes of SHA-256 over the UTF-8 text, read big-endian as an
 * unsigned number and scaled to [0, 1). No state, the same on every instance and after every restart, and easy to
 * reproduce elsewhere, e.g. in Python: {@code int.from_bytes(sha256(text.encode()).digest()[:8], 'big') >> 11) / 2**53}.
 */
final class Buckets {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    });

    private Buckets() {
    }

    /** A uniform position in [0, 1) for {@code prefix + value}. */
    static double position(String prefix, String value) {
        MessageDigest md = SHA256.get();
        md.update(prefix.getBytes(StandardCharsets.UTF_8));
        byte[] d = md.digest(value.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) h = (h << 8) | (d[i] & 0xFF);
        return (h >>> 11) * 0x1.0p-53;
    }
}
