package io.keel.auth.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuthenticationException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.logging.Logger;

/**
 * The issuer's signing keys, read from a JWKS file or URL and kept in memory. A token naming a {@code kid} the cached
 * set does not hold triggers one reload (the issuer rotated its keys), at most once per {@code minRefresh}; a failed
 * reload keeps the keys already known.
 */
final class JwksSource {
    private static final Logger LOG = Logger.getLogger(JwksSource.class.getName());
    private static final int TIMEOUT_MS = 5_000;
    private static final int SIZE_LIMIT = 512 * 1024;

    private final Path file;
    private final URI url;
    private final long minRefreshNanos;
    private volatile JWKSet keys;
    private volatile long loadedAt;

    JwksSource(Path file, URI url, long minRefreshNanos) {
        this.file = file;
        this.url = url;
        this.minRefreshNanos = minRefreshNanos;
        try {
            reload();
        } catch (IOException | ParseException e) {
            if (file != null) {
                throw KeelException.invalid("auth.oidc.jwks_file " + file + " cannot be read as a JWKS: " + e.getMessage());
            }
            LOG.warning("the JWKS at " + url + " cannot be read yet (" + e.getMessage() + "); retrying on the first token");
        }
    }

    private String where() {
        return file != null ? file.toString() : url.toString();
    }

    /** The key {@code kid} names (any key when {@code kid} is null and the set holds exactly one), reloading once if unknown. */
    JWK key(String kid) {
        JWK k = find(keys, kid);
        if (k != null) return k;
        synchronized (this) {
            k = find(keys, kid);
            if (k != null) return k;
            if (keys == null || System.nanoTime() - loadedAt >= minRefreshNanos) {
                try {
                    reload();
                } catch (IOException | ParseException e) {
                    loadedAt = System.nanoTime();
                    LOG.warning("reloading the JWKS from " + where() + " failed: " + e.getMessage());
                    if (keys == null) {
                        throw new AuthenticationException("the token issuer's keys (JWKS at " + where() + ") cannot be read");
                    }
                }
                k = find(keys, kid);
            }
        }
        if (k == null) {
            throw new AuthenticationException(kid == null ? "the token names no key id (kid) and the JWKS holds several keys"
                    : "the token was signed with key id '" + kid + "', which the issuer's JWKS does not hold");
        }
        return k;
    }

    private static JWK find(JWKSet set, String kid) {
        if (set == null) return null;
        if (kid != null) return set.getKeyByKeyId(kid);
        List<JWK> all = set.getKeys();
        return all.size() == 1 ? all.getFirst() : null;
    }

    private void reload() throws IOException, ParseException {
        JWKSet loaded = file != null ? JWKSet.load(file.toFile()) : JWKSet.load(url.toURL(), TIMEOUT_MS, TIMEOUT_MS, SIZE_LIMIT);
        keys = loaded.toPublicJWKSet();
        loadedAt = System.nanoTime();
    }
}
