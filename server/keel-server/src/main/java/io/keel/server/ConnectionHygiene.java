package io.keel.server;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import io.keel.http.ReadDeadlines;
import io.keel.app.config.ServerConfig;
import io.keel.core.error.ErrorCode;
import io.keel.http.HttpJson;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * What a connection may cost the server ({@code server.header_timeout}, {@code server.read_timeout},
 * {@code server.body_timeout}, {@code server.idle_timeout}, {@code server.max_connections}) and the answer to an
 * HTTP/1.0 request.
 *
 * <ul>
 *   <li>Headers that do not all arrive within the header timeout of the request line close the connection; a body
 *       that stalls for the read timeout or takes longer than the body timeout is refused (see {@link ReadDeadlines}).</li>
 *   <li>A keep-alive connection without a request for the idle timeout is closed; the server checks every quarter of
 *       it, so one closes between 1 and 1.25 times the timeout.</li>
 *   <li>Past the connection limit a new connection is closed at once: the client sees the connection end with no
 *       answer and can retry elsewhere, and the server keeps its file descriptors for the connections it serves.</li>
 *   <li>HTTP/1.0 (the health checks of many load balancers): {@code GET} or {@code HEAD} of {@code /health/live} and
 *       {@code /health/ready} is answered 200, then the connection closes; any other HTTP/1.0 request gets 505 with
 *       Keel's error envelope saying to use HTTP/1.1. The web server only parses HTTP/1.1, so the health answers here
 *       are fixed documents: the server answering at all is what they report.</li>
 * </ul>
 */
final class ConnectionHygiene {
    private static final Set<String> HEALTH_PATHS = Set.of("/health/live", "/health/ready");

    private ConnectionHygiene() {
    }

    /**
     * Applies {@code config}'s connection limits and the HTTP/1.0 answer to the listener {@code builder} builds; while
     * {@code draining} is true, an HTTP/1.0 {@code /health/ready} answers 503 (see {@link GracefulDrain}).
     */
    static void apply(WebServerConfig.Builder builder, ServerConfig config, ReadDeadlines deadlines,
                      java.util.function.BooleanSupplier draining) {
        Duration idle = config.idleTimeout();
        // streamed tokens leave at once, not after Nagle's delay; the socket read timeout is left alone (the listener's
        // accepted channels do not apply it): ReadDeadlines bounds reads instead
        builder.connectionOptions(o -> o.tcpNoDelay(true))
                .protocolsDiscoverServices(false)               // HTTP/1.1 only, configured here
                .protocols(java.util.List.of(Http1Config.builder()
                        .addReceiveListener(deadlines.listener())
                        .addSendListener(deadlines.listener())
                        .build()))
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(max(idle.dividedBy(4), Duration.ofMillis(20)))
                .maxTcpConnections(config.maxConnections())
                .directHandlers(DirectHandlers.builder()
                        .addHandler(DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED,
                                (request, type, status, headers, message) -> http10(request, draining.getAsBoolean()))
                        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, new MalformedPrologue())
                        .build());
    }

    /**
     * A request line the web server's parser throws on (e.g. a method token with a control character) reaches no
     * route, and the parser reports it as an internal error: a 500 with an empty body. When the request's method could
     * not be read as a token it is a malformed request, answered 400 in the error envelope; other errors outside the
     * routes keep their 500, in the envelope too. The connection closes either way.
     */
    static final class MalformedPrologue implements DirectHandler {
        @Override
        public TransportResponse handle(TransportRequest request, EventType type, Status status,
                                        io.helidon.http.ServerResponseHeaders headers, String message) {
            if (!isToken(request.method())) {
                return answer(Status.BAD_REQUEST_400, "invalid_request", "the request line is malformed; send METHOD PATH HTTP/1.1");
            }
            return answer(status, "internal", message == null ? "internal error; the server log has the details" : message);
        }

        private static boolean isToken(String s) {
            if (s == null || s.isEmpty()) return false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) return false;
            }
            return true;
        }

        private static TransportResponse answer(Status status, String code, String message) {
            return TransportResponse.builder()
                    .status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .keepAlive(false)
                    .entity(HttpJson.bytes(HttpJson.error(code, message)))
                    .build();
        }
    }

    private static DirectHandler.TransportResponse http10(DirectHandler.TransportRequest request, boolean draining) {
        String path = request.path();
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        boolean health = (request.method().equals("GET") || request.method().equals("HEAD")) && HEALTH_PATHS.contains(path);
        boolean notReady = health && draining && path.equals("/health/ready");
        byte[] body = health
                ? ("{\"status\":\"" + (notReady ? "draining" : path.substring("/health/".length())) + "\"}").getBytes(StandardCharsets.UTF_8)
                : HttpJson.bytes(HttpJson.error("http_version_not_supported",
                version(request.protocolVersion()) + " is answered on /health/live and /health/ready only; send HTTP/1.1"));
        return DirectHandler.TransportResponse.builder()
                .status(notReady ? Status.SERVICE_UNAVAILABLE_503 : health ? Status.OK_200 : Status.HTTP_VERSION_NOT_SUPPORTED_505)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .keepAlive(false)
                .entity(request.method().equals("HEAD") ? new byte[0] : body)
                .build();
    }

    /** "HTTP/1.0" whether the parser reports the version with its protocol name or without. */
    private static String version(String v) {
        return v.startsWith("HTTP/") ? v : "HTTP/" + v;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
