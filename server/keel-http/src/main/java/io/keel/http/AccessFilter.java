package io.keel.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.Authenticator;
import io.keel.core.security.KeyLimiter;
import io.keel.core.security.Principal;

import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Authentication and authorization of every request, before any route runs. The request's method and path must be
 * listed in the {@link RouteTable} (else 404, or 405 when another method is listed for the path: deny by default).
 * Open routes pass. When authentication is on, the {@code Authorization: Bearer} credential must authenticate
 * (401), its role must be one the rule allows (403) and its limits must have room ({@link KeyLimiter}: requests and
 * tokens per minute, requests in flight; 429 with {@code Retry-After}); the {@link Principal} is then registered in
 * the request's context, where {@link Attribution#caller} finds it, and its parallel slot is held until the route has
 * answered.
 * In open mode (no credentials configured) listed routes pass unauthenticated.
 */
public final class AccessFilter implements Filter {
    private static final HeaderName WWW_AUTHENTICATE = HeaderNames.create("WWW-Authenticate");
    private static final String BEARER = "Bearer ";

    private final RouteTable table;
    private final BooleanSupplier enabled;
    private final List<? extends Authenticator> authenticators;
    private final KeyLimiter limiter;
    private final Function<String, ErrorEnvelope> envelopeFor;

    /**
     * @param enabled     whether authentication is on (checked per request: it may turn on at run time)
     * @param limiter     each credential's request, token and parallelism limits
     * @param envelopeFor the error envelope of the route a request path belongs to
     */
    public AccessFilter(RouteTable table, BooleanSupplier enabled, List<? extends Authenticator> authenticators,
                        KeyLimiter limiter, Function<String, ErrorEnvelope> envelopeFor) {
        this.table = table;
        this.enabled = enabled;
        this.authenticators = List.copyOf(authenticators);
        this.limiter = limiter;
        this.envelopeFor = envelopeFor;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String method = req.prologue().method().text();
        String path = req.path().path();
        ErrorEnvelope envelope = envelopeFor.apply(path);
        RouteTable.Rule rule = table.find(method, path);
        if (rule == null) {
            Set<String> allowed = table.methods(path);
            if (allowed.isEmpty()) {
                HttpJson.sendError(res, envelope, ErrorCode.NOT_FOUND, "no route for " + method + " " + path + "; see docs/api.md for the endpoints");
            } else {
                res.header("Allow", String.join(", ", allowed));
                HttpJson.sendError(res, envelope, ErrorCode.METHOD_NOT_ALLOWED, "this endpoint accepts " + String.join(", ", allowed) + " only");
            }
            return;
        }
        if (rule.open() || !enabled.getAsBoolean()) {
            chain.proceed();
            return;
        }
        Principal principal;
        try {
            principal = authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        } catch (KeelException e) {
            res.header(WWW_AUTHENTICATE, "Bearer realm=\"keel\"");
            HttpJson.sendError(res, envelope, e.code(), e.getMessage());
            return;
        }
        if (!principal.hasAny(rule.roles())) {
            HttpJson.sendError(res, envelope, ErrorCode.FORBIDDEN, "the credential " + principal.id() + " (role "
                    + principal.roles().iterator().next().wireName() + ") may not call " + method + " " + rule.pattern()
                    + "; allowed roles: " + rule.roles().stream().map(r -> r.wireName()).sorted().toList() + " (docs/security.md)");
            return;
        }
        KeyLimiter.Permit permit;
        try {
            permit = limiter.admit(principal);
        } catch (KeelException e) {
            HttpJson.sendError(res, envelope, e);
            return;
        }
        try (permit) {
            req.context().register(principal);
            chain.proceed();
        }
    }

    private Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new KeelException(ErrorCode.UNAUTHORIZED, "this route needs a credential: send Authorization: Bearer <API key> "
                    + "(create one with `keel keys create`)");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new KeelException(ErrorCode.UNAUTHORIZED, "the Authorization header must use the Bearer scheme");
        }
        return Authenticator.first(authenticators, authorization.substring(BEARER.length()).strip());
    }
}
