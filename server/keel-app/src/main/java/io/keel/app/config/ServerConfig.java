package io.keel.app.config;

import io.keel.core.config.ConfigNode;

import java.time.Duration;

/**
 * HTTP server settings ({@code server.*}).
 *
 * @param host                address to listen on, or null when unset: then {@code 0.0.0.0} when authentication is
 *                            on and {@code 127.0.0.1} in open mode
 * @param maxRequestBytes     largest request body of /v1/query, /v1/retrieve and /v1/guard/scan; larger gets 413
 * @param maxChatRequestBytes largest body of the OpenAI-compatible routes (long chat histories); larger gets 413
 * @param maxQuestionChars    longest question accepted; longer gets 413
 * @param insecure            allows listening on a non-loopback address with authentication off (logged loudly)
 * @param headerTimeout       a request's headers must all arrive within this of its first line, or the connection is
 *                            closed ({@code server.header_timeout})
 * @param readTimeout         longest wait for the next bytes of a body; a body that stalls this long is refused (400)
 *                            and the connection closed ({@code server.read_timeout})
 * @param bodyTimeout         a whole body must arrive within this (a client trickling bytes), same refusal
 *                            ({@code server.body_timeout})
 * @param idleTimeout         a keep-alive connection with no request for this long is closed ({@code server.idle_timeout})
 * @param maxConnections      open connections at most; one more is closed at once, before any byte is read
 *                            ({@code server.max_connections})
 * @param shutdownGrace       on SIGTERM, how long in-flight requests and streams may take to finish before the server
 *                            closes what is left and exits ({@code server.shutdown_grace}); see docs/deploy.md
 */
public record ServerConfig(String host, int port, long maxRequestBytes, long maxChatRequestBytes, int maxQuestionChars,
                           boolean insecure, Duration headerTimeout, Duration readTimeout, Duration bodyTimeout,
                           Duration idleTimeout, int maxConnections, Duration shutdownGrace) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 2_000;
    /** Under Kubernetes' default termination grace period (30 s), leaving time to commit and exit. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);

    /** The settings before the connection limits existed, with their defaults. */
    public ServerConfig(String host, int port, long maxRequestBytes, long maxChatRequestBytes, int maxQuestionChars, boolean insecure) {
        this(host, port, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure,
                DEFAULT_HEADER_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_SHUTDOWN_GRACE);
    }

    static ServerConfig from(ConfigNode node) {
        String host = node.string("host", null);
        return new ServerConfig(
                host == null || host.isBlank() ? null : host.strip(),
                node.integer("port", 8080, 0, 65535),
                node.integer("max_request_bytes", 1_048_576, 1024, 256 * 1024 * 1024),
                node.integer("max_chat_request_bytes", 16 * 1_048_576, 1024, 1024 * 1024 * 1024),
                node.integer("max_question_chars", 8_000, 16, 1_000_000),
                node.bool("insecure", false),
                node.duration("header_timeout", DEFAULT_HEADER_TIMEOUT, Duration.ofMillis(50), Duration.ofHours(1)),
                node.duration("read_timeout", DEFAULT_READ_TIMEOUT, Duration.ofMillis(50), Duration.ofHours(1)),
                node.duration("body_timeout", DEFAULT_BODY_TIMEOUT, Duration.ofMillis(50), Duration.ofHours(24)),
                node.duration("idle_timeout", DEFAULT_IDLE_TIMEOUT, Duration.ofMillis(50), Duration.ofHours(24)),
                node.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                node.duration("shutdown_grace", DEFAULT_SHUTDOWN_GRACE, Duration.ZERO, Duration.ofHours(1)));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure,
                headerTimeout, readTimeout, bodyTimeout, idleTimeout, maxConnections, shutdownGrace);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure,
                headerTimeout, readTimeout, bodyTimeout, idleTimeout, maxConnections, shutdownGrace);
    }

    /** These settings with other connection limits (tests set them short). */
    public ServerConfig withConnections(Duration newHeaderTimeout, Duration newReadTimeout, Duration newBodyTimeout,
                                        Duration newIdleTimeout, int newMaxConnections) {
        return new ServerConfig(host, port, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure,
                newHeaderTimeout, newReadTimeout, newBodyTimeout, newIdleTimeout, newMaxConnections, shutdownGrace);
    }

    /** These settings with another shutdown grace period. */
    public ServerConfig withShutdownGrace(Duration newShutdownGrace) {
        return new ServerConfig(host, port, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure,
                headerTimeout, readTimeout, bodyTimeout, idleTimeout, maxConnections, newShutdownGrace);
    }
}
