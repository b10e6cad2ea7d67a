package io.keel.store.sql;

import io.keel.core.security.ApiKey;
import io.keel.core.security.ApiKeyAuthenticator;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.ApiKeySecrets;
import io.keel.core.security.AuthenticationException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.test.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API key store on a real database, exercised through the manager and the caching authenticator. */
abstract class ApiKeyStoreContract extends StoreContract {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private ApiKeyManager manager(Database db) {
        return new ApiKeyManager(new SqlApiKeyStore(db), clock);
    }

    private ApiKeyAuthenticator authenticator(Database db, Duration ttl) {
        return track(new ApiKeyAuthenticator(new SqlApiKeyStore(db), ttl, Duration.ZERO, clock));
    }

    private static ApiKeyManager.Spec spec(String tenant, Role role) {
        return new ApiKeyManager.Spec(tenant, role, "ci", null, Set.of(Principal.ACT_AS), Set.of("eng", "ops"), 120);
    }

    @Test
    void aKeysLimitsAreStoredAndCarriedByItsPrincipalAndItsRotation() {
        Database db = db();
        Principal.Limits limits = new Principal.Limits(60, 5000, 3,
                new Principal.KeyBudget(io.keel.core.budget.Budget.Period.MONTH, new java.math.BigDecimal("12.50")),
                Set.of("gpt-4o-mini", "rag:default"), Set.of("docs"));
        ApiKeyManager.Created created = manager(db).create(new ApiKeyManager.Spec("acme", Role.APP, "lim", null, Set.of(), Set.of(), limits));
        assertEquals(limits, new SqlApiKeyStore(db).find(created.key().id()).orElseThrow().limits());
        assertEquals(limits, authenticator(db, Duration.ZERO).authenticate(created.secret()).orElseThrow().limits());
        ApiKeyManager.Created rotated = manager(db).rotate(created.key().id(), Duration.ofMinutes(5));
        assertEquals(limits, new SqlApiKeyStore(db).find(rotated.key().id()).orElseThrow().limits());
        ApiKeyManager.Created plain = manager(db).create(spec("acme", Role.APP));
        assertEquals(new Principal.Limits(120), new SqlApiKeyStore(db).find(plain.key().id()).orElseThrow().limits());
    }

    @Test
    void aCreatedKeyAuthenticatesAsItsTenantRoleAndGroupsAndOnlyItsHashIsStored() {
        Database db = db();
        ApiKeyManager.Created created = manager(db).create(spec("acme", Role.APP));
        assertTrue(created.secret().startsWith(created.key().id() + "_"));
        assertTrue(created.key().id().matches("keel_live_[0-9a-f]{12}"));
        ApiKey stored = new SqlApiKeyStore(db).find(created.key().id()).orElseThrow();
        assertNotEquals(created.secret(), stored.hash());
        assertFalse(stored.hash().contains(created.secret().substring(created.key().id().length() + 1)));
        assertEquals(Set.of("eng", "ops"), stored.groups());
        assertEquals(Set.of(Principal.ACT_AS), stored.scopes());
        assertEquals(120, stored.requestsPerMinute());

        Principal p = authenticator(db, Duration.ofSeconds(2)).authenticate(created.secret()).orElseThrow();
        assertEquals("acme", p.tenant());
        assertEquals(Set.of(Role.APP), p.roles());
        assertEquals(Set.of("eng", "ops"), p.groups());
        assertEquals(created.key().id(), p.id());
    }

    @Test
    void aWrongSecretAnUnknownIdAndAMalformedKeyAre401AndOtherCredentialsAreLeftToOtherAuthenticators() {
        Database db = db();
        String secret = manager(db).create(spec("acme", Role.APP)).secret();
        ApiKeyAuthenticator auth = authenticator(db, Duration.ofSeconds(2));
        String forged = secret.substring(0, secret.length() - 2) + (secret.endsWith("AA") ? "BB" : "AA");
        assertThrows(AuthenticationException.class, () -> auth.authenticate(forged));
        assertThrows(AuthenticationException.class, () -> auth.authenticate(ApiKeySecrets.generate().key()));
        assertThrows(AuthenticationException.class, () -> auth.authenticate("keel_live_nothex"));
        assertTrue(auth.authenticate("eyJhbGciOiJSUzI1NiJ9.e30.sig").isEmpty());
    }

    @Test
    void revocationOnOneInstanceIsSeenByAnotherOnceItsCacheExpires() throws Exception {
        Database first = db();
        Database second = db();                       // a second pool on the same storage: another instance
        ApiKeyManager.Created created = manager(first).create(spec("acme", Role.DEVELOPER));
        ApiKeyAuthenticator other = authenticator(second, Duration.ofMillis(200));
        assertTrue(other.authenticate(created.secret()).isPresent());
        manager(first).revoke(created.key().id());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try {
                other.authenticate(created.secret());
                Thread.sleep(20);
            } catch (AuthenticationException e) {
                refused = e.getMessage().contains("revoked");
            }
        }
        assertTrue(refused, "a revoked key must be refused within the cache TTL");
        assertFalse(new SqlApiKeyStore(first).anyActive(clock.instant()));
    }

    @Test
    void rotationKeepsTheOldKeyValidForTheGracePeriodThenOnlyTheNewOne() {
        Database db = db();
        ApiKeyManager m = manager(db);
        ApiKeyManager.Created old = m.create(spec("acme", Role.APP));
        ApiKeyManager.Created fresh = m.rotate(old.key().id(), Duration.ofMinutes(10));
        assertEquals("acme", fresh.key().tenant());
        assertEquals(old.key().groups(), fresh.key().groups());
        ApiKeyAuthenticator auth = authenticator(db, Duration.ZERO);
        assertTrue(auth.authenticate(old.secret()).isPresent());
        assertTrue(auth.authenticate(fresh.secret()).isPresent());
        clock.advance(Duration.ofMinutes(11));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> auth.authenticate(old.secret()));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertTrue(auth.authenticate(fresh.secret()).isPresent());
    }

    @Test
    void anExpiredKeyIsRefusedAndAPastExpiryCannotBeCreated() {
        Database db = db();
        ApiKeyManager m = manager(db);
        ApiKeyManager.Created k = m.create(new ApiKeyManager.Spec("acme", Role.VIEWER, null, clock.instant().plusSeconds(60), null, null, 0));
        ApiKeyAuthenticator auth = authenticator(db, Duration.ZERO);
        assertTrue(auth.authenticate(k.secret()).isPresent());
        clock.advance(Duration.ofSeconds(61));
        assertThrows(AuthenticationException.class, () -> auth.authenticate(k.secret()));
        assertThrows(io.keel.core.error.KeelException.class,
                () -> m.create(new ApiKeyManager.Spec("acme", Role.VIEWER, null, clock.instant().minusSeconds(1), null, null, 0)));
    }

    @Test
    void lastUsedIsWrittenInABatchOnFlushAndNeverMovesBackwards() {
        Database db = db();
        ApiKeyManager.Created k = manager(db).create(spec("acme", Role.APP));
        ApiKeyAuthenticator auth = authenticator(db, Duration.ofSeconds(2));
        auth.authenticate(k.secret());
        SqlApiKeyStore store = new SqlApiKeyStore(db);
        assertNull(store.find(k.key().id()).orElseThrow().lastUsed(), "not written per request");
        auth.flush();
        assertEquals(clock.instant(), store.find(k.key().id()).orElseThrow().lastUsed());
        store.touch(Map.of(k.key().id(), clock.instant().minusSeconds(100)));
        assertEquals(clock.instant(), store.find(k.key().id()).orElseThrow().lastUsed());
    }

    @Test
    void listShowsEveryKeyAndRevokingAnUnknownKeyIs404() {
        Database db = db();
        ApiKeyManager m = manager(db);
        m.create(spec("a", Role.APP));
        clock.advance(Duration.ofSeconds(1));
        ApiKeyManager.Created b = m.create(spec("b", Role.ADMIN));
        var keys = new SqlApiKeyStore(db).list();
        assertEquals(2, keys.size());
        assertEquals(b.key().id(), keys.getFirst().id());
        var e = assertThrows(io.keel.core.error.KeelException.class, () -> m.revoke("keel_live_000000000000"));
        assertEquals(io.keel.core.error.ErrorCode.NOT_FOUND, e.code());
    }
}
