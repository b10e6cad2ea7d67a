package io.keel.app.config;

import io.keel.core.config.ConfigNode;

/**
 * HTTP server settings ({@code server.*}).
 *
 * @param maxRequestBytes     largest request body of /v1/query, /v1/retrieve and /v1/guard/scan; larger gets 413
 * @param maxChatRequestBytes largest body of the OpenAI-compatible routes (long chat histories); larger gets 413
 * @param maxQuestionChars    longest question accepted; longer gets 413
 */
public record ServerConfig(String host, int port, long maxRequestBytes, long maxChatRequestBytes, int maxQuestionChars) {
    static ServerConfig from(ConfigNode node) {
        return new ServerConfig(
                node.string("host", "0.0.0.0"),
                node.integer("port", 8080, 0, 65535),
                node.integer("max_request_bytes", 1_048_576, 1024, 256 * 1024 * 1024),
                node.integer("max_chat_request_bytes", 16 * 1_048_576, 1024, 1024 * 1024 * 1024),
                node.integer("max_question_chars", 8_000, 16, 1_000_000));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxRequestBytes, maxChatRequestBytes, maxQuestionChars);
    }
}
