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

    /** The caller named by the headers of {@code req}; an invalid tag is a {@link KeelException} (400). */
    public static Caller caller(ServerRequest req) {
        return caller(req.headers());
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
