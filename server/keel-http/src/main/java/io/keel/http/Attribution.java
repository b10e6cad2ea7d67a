package io.keel.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Caller;
import io.keel.core.error.KeelException;
import io.keel.core.security.Principal;

import java.util.Map;
import java.util.function.Function;

/**
 * The attribution headers {@code X-Keel-Tenant}, {@code X-Keel-User}, {@code X-Keel-App} and {@code X-Keel-Feature}:
 * who a request is for. A value that is not a valid tag (too long, characters outside {@code [A-Za-z0-9._:@/+-]},
 * bytes that are not ASCII) is a 400 on every route that {@link #filter} guards, whether or not the route reads it.
 */
public final class Attribution {
    private static final Map<String, HeaderName> HEADERS = Map.of(
            "X-Keel-Tenant", HeaderNames.create("X-Keel-Tenant"), "X-Keel-User", HeaderNames.create("X-Keel-User"),
            "X-Keel-App", HeaderNames.create("X-Keel-App"), "X-Keel-Feature", HeaderNames.create("X-Keel-Feature"));

    private Attribution() {
    }

    /**
     * The caller of {@code req}. With a credential ({@link AccessFilter} put its {@link Principal} in the request's
     * context) the tenant is the credential's and {@code X-Keel-Tenant} is ignored; {@code X-Keel-User} and
     * {@code X-Keel-App} count only for a credential with the {@value Principal#ACT_AS} scope (else the user is the
     * credential's and the app its id). In open mode every tag comes from the headers. An invalid tag is a
     * {@link KeelException} (400).
     */
    public static Caller caller(ServerRequest req) {
        Caller declared = caller(req.headers());
        Principal p = req.context().get(Principal.class).orElse(null);
        if (p == null) return declared;
        boolean actAs = p.hasScope(Principal.ACT_AS);
        return new Caller(p.tenant(), actAs && declared.user() != null ? declared.user() : p.user(),
                actAs && declared.app() != null ? declared.app() : p.id(), declared.feature(), p);
    }

    /** The caller named by {@code headers}; an invalid tag is a {@link KeelException} (400). */
    public static Caller caller(Headers headers) {
        return Caller.fromHeaders(name -> {
            HeaderName h = HEADERS.get(name);
            if (h == null) h = HeaderNames.create(name);
            return headers.contains(h) ? headers.get(h).get() : null;
        });
    }

    /** The caller of {@code req}, or null after answering 400 in {@code envelope} because a tag is invalid. */
    public static Caller callerOrReject(ServerRequest req, ServerResponse res, ErrorEnvelope envelope) {
        try {
            return caller(req);
        } catch (KeelException e) {
            HttpJson.sendError(res, envelope, e.code(), e.getMessage());
            return null;
        }
    }

    /**
     * A filter answering 400 before any route runs when an attribution header is invalid.
     *
     * @param envelopeFor the error envelope of the route a request path belongs to
     */
    public static Filter filter(Function<String, ErrorEnvelope> envelopeFor) {
        return (FilterChain chain, RoutingRequest req, RoutingResponse res) -> {
            try {
                caller(req.headers());
            } catch (KeelException e) {
                HttpJson.sendError(res, envelopeFor.apply(req.path().path()), e.code(), e.getMessage());
                return;
            }
            chain.proceed();
        };
    }
}
