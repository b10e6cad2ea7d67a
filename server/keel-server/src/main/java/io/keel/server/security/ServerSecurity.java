package io.keel.server.security;

import io.keel.app.config.AuthConfig;
import io.keel.app.config.ServerConfig;
import io.keel.auth.oidc.OidcIssuers;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.ApiKeyAuthenticator;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.ApiKeyStore;
import io.keel.core.security.AuditLog;
import io.keel.core.security.Authenticator;
import io.keel.core.security.KeyLimiter;
import io.keel.core.security.MemoryRateWindows;
import io.keel.http.AccessFilter;
import io.keel.http.ErrorEnvelope;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The server's authentication: API keys through a cache, then OIDC / JWT bearer tokens when {@code auth.oidc} is
 * configured (each answers only for credentials of its kind, so both chain), the on/off decision
 * ({@code auth.enabled}), the address to listen on (loopback only in open mode unless {@code server.insecure}), and
 * the {@link AccessFilter} over
 * {@link AccessRoutes#TABLE}.
 */
public final class ServerSecurity implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServerSecurity.class.getName());

    private final ApiKeyStore store;
    private final AuthConfig config;
    private final ApiKeyAuthenticator authenticator;
    private final List<Authenticator> authenticators;
    private final ApiKeyManager manager;
    private final Switch enabled;

    public ServerSecurity(ApiKeyStore store, AuthConfig config) {
        this(store, config, AuditLog.NONE);
    }

    /** @param audit where key administration (create, rotate, revoke) is recorded with its actor */
    public ServerSecurity(ApiKeyStore store, AuthConfig config, AuditLog audit) {
        this.store = store;
        this.config = config;
        this.authenticator = new ApiKeyAuthenticator(store, config.cacheTtl(), ApiKeyAuthenticator.DEFAULT_FLUSH, Clock.systemUTC());
        this.authenticators = config.oidc().isEmpty() ? List.of(authenticator)
                : List.of(authenticator, new OidcIssuers(config.oidc(), Clock.systemUTC()));
        this.manager = new ApiKeyManager(store, Clock.systemUTC()).auditTo(audit);
        this.enabled = new Switch(store, config);
    }

    /** Whether requests must authenticate now. */
    public boolean enabled() {
        return enabled.getAsBoolean();
    }

    public ApiKeyManager keys() {
        return manager;
    }

    /** The access filter with limits counted in this process only. */
    public AccessFilter filter(Function<String, ErrorEnvelope> envelopeFor) {
        return filter(envelopeFor, new KeyLimiter(new MemoryRateWindows(), config.requestsPerMinute(), Clock.systemUTC()));
    }

    /** The access filter enforcing each credential's limits with {@code limiter} (shared through the store on PostgreSQL). */
    public AccessFilter filter(Function<String, ErrorEnvelope> envelopeFor, KeyLimiter limiter) {
        return new AccessFilter(AccessRoutes.TABLE, enabled, authenticators, limiter, envelopeFor);
    }

    /**
     * The address to listen on: the configured one, else {@code 0.0.0.0} with authentication on and {@code 127.0.0.1}
     * without. A non-loopback address in open mode is refused unless {@code server.insecure: true}.
     */
    public String bindHost(ServerConfig server) {
        boolean on = enabled();
        if (server.host() == null) {
            String host = on ? "0.0.0.0" : "127.0.0.1";
            LOG.info(on ? "authentication on: API keys or tokens required, listening on all interfaces"
                    : "open mode (no API keys): listening on 127.0.0.1 only; create a key with `keel keys create "
                    + "--role admin` (or set server.host with server.insecure: true) to serve other machines");
            return host;
        }
        if (!on && !loopback(server.host())) {
            if (!server.insecure()) {
                throw new KeelException(ErrorCode.INVALID_REQUEST, "server.host " + server.host() + " is reachable from other "
                        + "machines but no API key exists, so every route would be open to them. Create one with `keel keys "
                        + "create --tenant <t> --role admin`, or set server.insecure: true to serve without authentication");
            }
            LOG.warning("INSECURE: listening on " + server.host() + " with authentication OFF (server.insecure: true); "
                    + "anyone who can reach this port can read, write and delete every tenant's data");
        }
        return server.host();
    }

    static boolean loopback(String host) {
        if (host.equals("localhost")) return true;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        authenticator.close();
    }

    /**
     * {@code auth.enabled}: fixed, or (auto) on once an active key exists or from the start with {@code auth.oidc};
     * never turns off while running.
     */
    private static final class Switch implements BooleanSupplier {
        private final ApiKeyStore store;
        private final String mode;
        private final long recheckNanos;
        private volatile boolean on;
        private volatile long checkedAt;

        Switch(ApiKeyStore store, AuthConfig config) {
            this.store = store;
            this.mode = config.enabled();
            this.recheckNanos = Math.max(config.cacheTtl().toNanos(), 1_000_000);
            this.on = mode.equals("true") || (mode.equals("auto")
                    && (!config.oidc().isEmpty() || store.anyActive(java.time.Instant.now())));
            this.checkedAt = System.nanoTime();
        }

        @Override
        public boolean getAsBoolean() {
            if (on || !mode.equals("auto")) return on;
            long now = System.nanoTime();
            if (now - checkedAt > recheckNanos) {
                checkedAt = now;
                if (store.anyActive(java.time.Instant.now())) {
                    on = true;
                    LOG.warning("an API key now exists: authentication is on for every protected route");
                }
            }
            return on;
        }
    }
}
