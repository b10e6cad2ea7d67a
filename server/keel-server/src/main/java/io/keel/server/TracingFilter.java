package io.keel.server;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.keel.http.Attribution;
import io.keel.tracing.KeelTracing;
import io.keel.tracing.RequestSpan;

import java.util.Set;

/**
 * Opens a server span around every request (continuing the caller's W3C {@code traceparent}) and returns the trace in
 * the {@code traceparent} and {@code X-Keel-Trace-Id} response headers, so a client can quote the id when it reports
 * a problem and an operator can find the spans and the request-log record.
 */
final class TracingFilter implements Filter {
    static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    static final HeaderName TRACESTATE = HeaderNames.create("tracestate");
    static final HeaderName TRACE_ID = HeaderNames.create("X-Keel-Trace-Id");
    /** Path segments that name routes; any other segment is an id and becomes {@code {id}} in span names. */
    private static final Set<String> ROUTE_WORDS = Set.of("v1", "query", "retrieve", "guard", "scan", "chat", "completions",
            "embeddings", "models", "documents", "ingestion", "status", "requests", "usage", "registry", "versions",
            "promote", "rollback", "audit", "metrics", "health", "live", "ready", "evaluations");

    private final KeelTracing tracing;

    TracingFilter(KeelTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        RequestSpan span = tracing.startRequest(route(req.path().path()), req.prologue().method().text(),
                req.headers().first(TRACEPARENT).orElse(null), req.headers().first(TRACESTATE).orElse(null));
        res.header(TRACEPARENT, span.traceparent());
        res.header(TRACE_ID, span.traceId());
        Throwable error = null;
        try (var scope = span.makeCurrent()) {
            chain.proceed();
        } catch (RuntimeException | Error e) {
            error = e;
            throw e;
        } finally {
            // read after the access filter ran: with a credential, the tenant is the credential's, not a header's
            try {
                span.setCaller(Attribution.caller(req));
            } catch (RuntimeException invalidTags) {
                // the route answered 400 for them; the span just goes without
            }
            span.end(res.status().code(), error);
        }
    }

    /**
     * The route template of a path: ids replaced, so span names stay few ({@code GET /v1/requests/{id}}). A request
     * target the parser gave no path for (e.g. a malformed absolute URI, {@code http:\u00ff/host/v1/query}) is "/".
     */
    static String route(String path) {
        if (path == null) return "/";
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) continue;
            out.append('/').append(ROUTE_WORDS.contains(segment) ? segment : "{id}");
        }
        return out.isEmpty() ? "/" : out.toString();
    }
}
