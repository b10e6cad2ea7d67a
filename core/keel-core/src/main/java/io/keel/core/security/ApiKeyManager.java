package io.keel.core.security;

import io.keel.core.answer.Caller;
import io.keel.core.error.KeelException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates, rotates and revokes API keys; the CLI ({@code keel keys}) and the admin API ({@code /v1/keys}) share it.
 * Each action is written to the audit log ({@link #auditTo}) with its actor: {@code key.created},
 * {@code key.rotated} and {@code key.revoked}, the key's public id as target (never its secret).
 */
public final class ApiKeyManager {
    /** How long a rotated key stays valid next to its replacement when no grace period is given. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._:@/+-]{1,128}");

    private final ApiKeyStore store;
    private final Clock clock;
    private volatile AuditLog audit = AuditLog.NONE;

    public ApiKeyManager(ApiKeyStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records every create, rotate and revoke in {@code log}; returns this manager. */
    public ApiKeyManager auditTo(AuditLog log) {
        this.audit = Objects.requireNonNull(log, "log");
        return this;
    }

    /** What to create. Null expiry: never expires; null limits: none. */
    public record Spec(String tenant, Role role, String name, Instant expires, Set<String> scopes, Set<String> groups,
                       Principal.Limits limits) {
        public Spec {
            limits = limits == null ? Principal.Limits.NONE : limits;
        }

        /** A key limited to {@code requestsPerMinute} (0: the configured default) and nothing else. */
        public Spec(String tenant, Role role, String name, Instant expires, Set<String> scopes, Set<String> groups,
                    int requestsPerMinute) {
            this(tenant, role, name, expires, scopes, groups, new Principal.Limits(requestsPerMinute));
        }
    }

    /** A new key: the record stored, and the secret to show exactly once. */
    public record Created(ApiKey key, String secret) {
    }

    /** As {@link #create(Spec, AuditActor)} by an anonymous actor. */
    public Created create(Spec spec) {
        return create(spec, AuditActor.user(null));
    }

    /** Creates a key for {@code spec}, audited as {@code key.created} by {@code actor}. */
    public Created create(Spec spec, AuditActor actor) {
        Created c = insert(spec);
        audit.append(AuditEvent.of(actor, AuditEvent.KEY_CREATED, "key:" + c.key().id(), details(c.key())));
        return c;
    }

    private Created insert(Spec spec) {
        Objects.requireNonNull(spec.role(), "role");
        String tenant = check("tenant", spec.tenant() == null ? Caller.DEFAULT_TENANT : spec.tenant());
        for (String s : nullToEmpty(spec.scopes())) check("scope", s);
        for (String g : nullToEmpty(spec.groups())) check("group", g);
        if (spec.name() != null && spec.name().length() > 200) throw KeelException.invalid("a key name is at most 200 characters");
        Principal.Limits limits = spec.limits();
        for (String m : limits.allowedModels()) check("model", m);
        for (String c : limits.allowedCollections()) check("collection", c);
        Instant now = clock.instant();
        if (spec.expires() != null && !spec.expires().isAfter(now)) {
            throw KeelException.invalid("the expiry " + spec.expires() + " is not in the future");
        }
        ApiKeySecrets.Generated g = ApiKeySecrets.generate();
        ApiKey key = new ApiKey(g.id(), spec.name(), tenant, spec.role(), nullToEmpty(spec.scopes()), nullToEmpty(spec.groups()),
                limits, g.salt(), g.hash(), now, spec.expires(), null, null);
        store.insert(key);
        return new Created(key, g.key());
    }

    /**
     * A new key with the same tenant, role, scopes, groups, limits and expiry; the old key stays valid for
     * {@code grace} (two valid keys while clients switch over), then expires.
     */
    public Created rotate(String id, Duration grace) {
        return rotate(id, grace, AuditActor.user(null));
    }

    /** As {@link #rotate(String, Duration)}, audited as {@code key.rotated} by {@code actor}. */
    public Created rotate(String id, Duration grace, AuditActor actor) {
        if (grace.isNegative()) throw KeelException.invalid("the grace period must be >= 0");
        ApiKey old = store.find(id).orElseThrow(() -> KeelException.notFound("no API key " + id + "; see `keel keys list`"));
        Instant now = clock.instant();
        if (!old.activeAt(now)) throw KeelException.invalid("API key " + id + " is revoked or expired; create a new key instead");
        Created fresh = insert(new Spec(old.tenant(), old.role(), old.name(), old.expires(), old.scopes(), old.groups(),
                old.limits()));
        Instant until = now.plus(grace);
        store.expireBy(id, until);
        Map<String, Object> details = details(fresh.key());
        details.put("replaced_by", fresh.key().id());
        details.put("old_key_valid_until", until.toString());
        audit.append(AuditEvent.of(actor, AuditEvent.KEY_ROTATED, "key:" + id, details));
        return fresh;
    }

    public ApiKey revoke(String id) {
        return revoke(id, AuditActor.user(null));
    }

    /** Revokes key {@code id}, audited as {@code key.revoked} by {@code actor}. */
    public ApiKey revoke(String id, AuditActor actor) {
        if (!store.revoke(id, clock.instant())) throw KeelException.notFound("no API key " + id + "; see `keel keys list`");
        ApiKey k = store.find(id).orElseThrow();
        Map<String, Object> details = details(k);
        details.put("revoked_at", k.revoked().toString());
        audit.append(AuditEvent.of(actor, AuditEvent.KEY_REVOKED, "key:" + id, details));
        return k;
    }

    /** What the audit keeps of a key: tenant, role, name, scopes, groups, limits and expiry; never the secret or its hash. */
    private static Map<String, Object> details(ApiKey k) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tenant", k.tenant());
        d.put("role", k.role().wireName());
        d.put("name", k.name());
        d.put("scopes", ApiKey.sorted(k.scopes()));
        d.put("groups", ApiKey.sorted(k.groups()));
        d.put("limits", limits(k.limits()));
        d.put("expires_at", k.expires() == null ? null : k.expires().toString());
        return d;
    }

    /** A duration such as {@code 90d}, {@code 12h} or {@code PT10M}; anything else is a 400 naming {@code what}. */
    public static Duration duration(String what, String text) {
        Duration d = text == null ? null : io.keel.core.config.ConfigNode.parseDuration(text);
        if (d == null || d.isNegative()) {
            throw KeelException.invalid(what + " must be a duration such as 90d, 12h, 30m or PT10M; got '" + text + "'");
        }
        return d;
    }

    public ApiKeyStore store() {
        return store;
    }

    /** A key's limits as audit details and API output: only those set. */
    public static Map<String, Object> limits(Principal.Limits l) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (l.requestsPerMinute() > 0) d.put("requests_per_minute", l.requestsPerMinute());
        if (l.tokensPerMinute() > 0) d.put("tokens_per_minute", l.tokensPerMinute());
        if (l.maxParallel() > 0) d.put("max_parallel", l.maxParallel());
        if (l.budget() != null) {
            d.put("budget_usd", l.budget().limitUsd().toPlainString());
            d.put("budget_period", l.budget().period().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!l.allowedModels().isEmpty()) d.put("allowed_models", ApiKey.sorted(l.allowedModels()));
        if (!l.allowedCollections().isEmpty()) d.put("allowed_collections", ApiKey.sorted(l.allowedCollections()));
        return d;
    }

    private static Set<String> nullToEmpty(Set<String> s) {
        return s == null ? Set.of() : s;
    }

    private static String check(String what, String value) {
        if (!WORD.matcher(value).matches()) {
            throw KeelException.invalid("a " + what + " must be 1-128 characters of letters, digits and ._:@/+- ; got '" + value + "'");
        }
        return value;
    }
}
