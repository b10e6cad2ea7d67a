package io.keel.core.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where API keys live: the SQL database (shared between instances on PostgreSQL), so that a key created or revoked
 * anywhere is seen everywhere once caches expire.
 */
public interface ApiKeyStore {
    void insert(ApiKey key);

    Optional<ApiKey> find(String id);

    /** Every key, newest first, revoked and expired included. */
    List<ApiKey> list();

    /** Whether any key that is neither revoked nor expired at {@code now} exists. */
    boolean anyActive(Instant now);

    /** Marks the key revoked at {@code at}; false when no such key exists. Revoking twice keeps the first time. */
    boolean revoke(String id, Instant at);

    /** Sets the key's expiry to {@code expires} when that is earlier than its current one; false when no such key. */
    boolean expireBy(String id, Instant expires);

    /** Records last-used times (one batch for many keys); a time never moves backwards. */
    void touch(Map<String, Instant> lastUsed);
}
