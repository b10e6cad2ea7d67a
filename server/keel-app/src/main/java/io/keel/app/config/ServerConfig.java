package io.keel.app.config;

import io.keel.core.config.ConfigNode;

/**
 * HTTP server settings ({@code server.*}).
 *
 * @param host                address to listen on, or null when unset: then {@code 0.0.0.0} when authentication is
 *                            on and {@code 127.0.0.1} in open mode
 * @param maxRequestBytes     largest request body of /v1/query, /v1/retrieve and /v1/guard/scan; larger gets 413
 * @param maxChatRequestBytes largest body of the OpenAI-compatible routes (long chat histories); larger gets 413
 * @param maxQuestionChars    longest question accepted; longer gets 413
 * @param insecure            allows listening on a non-loopback address with authentication off (logged loudly)
 */
public record ServerConfig(String host, int port, long maxRequestBytes, long maxChatRequestBytes, int maxQuestionChars,
                           boolean insecure) {
    static ServerConfig from(ConfigNode node) {
        String host = node.string("host", null);
        return new ServerConfig(
                host == null || host.isBlank() ? null : host.strip(),
                node.integer("port", 8080, 0, 65535),
                node.integer("max_request_bytes", 1_048_576, 1024, 256 * 1024 * 1024),
                node.integer("max_chat_request_bytes", 16 * 1_048_576, 1024, 1024 * 1024 * 1024),
                node.integer("max_question_chars", 8_000, 16, 1_000_000),
                node.bool("insecure", false));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, maxRequestBytes, maxChatRequestBytes, maxQuestionChars, insecure);
    }
}
