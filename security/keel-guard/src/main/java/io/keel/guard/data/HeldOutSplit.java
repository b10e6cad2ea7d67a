package io.keel.guard.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The fixed train / held-out split of every guard data set: a text is held out when the first four bytes of the
 * SHA-256 of its key (NFKC, lower case, whitespace collapsed), read as a big-endian int, are 0, 1 or 2 modulo 10,
 * which holds out about 30 % of each set. The split depends on the text alone, so it is the same on every machine,
 * for every data set, and a duplicate text is always on the same side as its twin. Training never reads a held-out
 * text; {@code keel guard eval} reads only held-out texts.
 */
public final class HeldOutSplit {
    /** Held-out residues modulo {@link #MODULUS}. */
    public static final int HELD_OUT_BELOW = 3;
    public static final int MODULUS = 10;
    /** How the split is described in weights files and evaluation tables. */
    public static final String DESCRIPTION = "held out: floorMod(int(sha256(nfkc-lower-collapsed text)[0..4]), 10) < 3 (about 30 %)";

    private HeldOutSplit() {
    }

    public static boolean heldOut(String text) {
        byte[] h = sha256(key(text));
        int v = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        return Math.floorMod(v, MODULUS) < HELD_OUT_BELOW;
    }

    /** The text as the split sees it: NFKC, lower case, whitespace collapsed (also the key for duplicate checks). */
    public static String key(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
    }

    static byte[] sha256(String s) {
        return sha256Raw(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256Raw(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
