package io.keel.guard.action;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reversible pseudonyms for one request: the same value always gets the same token ({@code <EMAIL_ADDRESS_1>}), and
 * the answer can be re-hydrated with the original values.
 *
 * <p>The mapping never holds a value in clear: each value is sealed with AES-256-GCM under a key generated for this
 * request (the token is bound as associated data), and the value-to-token index is keyed by an HMAC, not the value.
 * {@link #close()} forgets the key, after which nothing can be recovered. Thread-safe.
 */
public final class PseudonymSession implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("<([A-Z][A-Z0-9_]*)_(\\d+)>");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, byte[]> sealedByToken = new ConcurrentHashMap<>();
    private final Map<String, String> tokenByDigest = new ConcurrentHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private SecretKey key;
    private SecretKey indexKey;
    private boolean closed;

    /** Keys are generated on first use, so a request that pseudonymizes nothing costs nothing. */
    public PseudonymSession() {
    }

    private synchronized void ensureKeys() {
        if (closed) throw new IllegalStateException("pseudonym session is closed");
        if (key != null) return;
        try {
            KeyGenerator gen = KeyGenerator.getInstance("AES");
            gen.init(256, RANDOM);
            key = gen.generateKey();
            byte[] mk = new byte[32];
            RANDOM.nextBytes(mk);
            indexKey = new SecretKeySpec(mk, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available", e);
        }
    }

    /** The token for {@code value} of entity {@code type}; the same pair always gets the same token. */
    public String tokenFor(String type, String value) {
        ensureKeys();
        String digest = digest(type + '\u0000' + value);
        return tokenByDigest.computeIfAbsent(digest, d -> {
            int n;
            synchronized (counters) {
                n = counters.merge(type, 1, Integer::sum);
            }
            String token = "<" + type + "_" + n + ">";
            sealedByToken.put(token, seal(token, value));
            return token;
        });
    }

    /** Replaces every token this session issued with its original value; other text is left alone. */
    public String rehydrate(String text) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            byte[] sealed = sealedByToken.get(m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(sealed == null ? m.group() : open(m.group(), sealed)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Number of distinct values pseudonymized so far. */
    public int size() {
        return sealedByToken.size();
    }

    /** The sealed mapping as stored: token to {@code iv || ciphertext || tag}, hex. For audit; holds no clear value. */
    public Map<String, String> sealedMapping() {
        Map<String, String> out = new HashMap<>();
        sealedByToken.forEach((t, b) -> out.put(t, HexFormat.of().formatHex(b)));
        return out;
    }

    /** Forgets the key: tokens can no longer be re-hydrated. */
    @Override
    public synchronized void close() {
        closed = true;
        key = null;
        indexKey = null;
        sealedByToken.clear();
        tokenByDigest.clear();
    }

    private byte[] seal(String token, String value) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, liveKey(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(token.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + ct.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(ct, 0, out, IV_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal pseudonym", e);
        }
    }

    private String open(String token, byte[] sealed) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, liveKey(), new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            c.updateAAD(token.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open pseudonym " + token, e);
        }
    }

    private synchronized SecretKey liveKey() {
        if (closed || key == null) throw new IllegalStateException("pseudonym session is closed");
        return key;
    }

    private String digest(String s) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            SecretKey k;
            synchronized (this) {
                k = indexKey;
            }
            mac.init(k);
            return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
