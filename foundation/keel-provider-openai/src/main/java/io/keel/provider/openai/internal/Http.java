package io.keel.provider.openai.internal;

import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.provider.openai.OpenAiConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared HTTP client, authentication and error mapping of the OpenAI adapter. */
public final class Http {
    private static final Http1Client CLIENT = new Http1Client(Duration.ofSeconds(10));

    private Http() {
    }

    /** One operation of one endpoint (e.g. {@code chat/completions}), with its request heads encoded once. */
    public static final class Endpoint {
        private final OpenAiConfig config;
        private final String upstream;
        private final Http1Client.Target json;
        private final Http1Client.Target eventStream;

        public Endpoint(OpenAiConfig config, String operation, String upstream) {
            this.config = config;
            this.upstream = upstream;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "keel");
            if (config.apiKey() != null && !config.apiKey().isBlank()) {
                if (config.dialect() == OpenAiConfig.Dialect.AZURE) headers.put("api-key", config.apiKey());
                else headers.put("Authorization", "Bearer " + config.apiKey());
            }
            headers.putAll(config.headers());
            Map<String, String> plain = new LinkedHashMap<>(headers);
            plain.put("Accept", "application/json");
            Map<String, String> sse = new LinkedHashMap<>(headers);
            sse.put("Accept", "text/event-stream");
            this.json = Http1Client.target("POST", config.uri(operation), plain);
            this.eventStream = Http1Client.target("POST", config.uri(operation), sse);
        }

        /**
         * POSTs a JSON body and returns the response when it is a 2xx; any other status becomes the matching
         * {@link UpstreamException}, a transport failure a retryable one.
         */
        public Http1Client.Response post(byte[] body, boolean stream) {
            Http1Client.Response response;
            try {
                response = CLIENT.send(stream ? eventStream : json, body, config.timeout());
            } catch (IOException e) {
                throw transportError(upstream, e, config.timeout());
            }
            if (response.status() / 100 != 2) throw statusError(upstream, response);
            return response;
        }
    }

    /** Maps a transport failure to the matching retryable upstream error. */
    public static KeelException transportError(String upstream, IOException e, Duration timeout) {
        if (e instanceof SocketTimeoutException && !(e.getMessage() != null && e.getMessage().contains("connect"))) {
            return UpstreamException.timeout(upstream, timeout, e);
        }
        if (e instanceof ConnectException) return UpstreamException.unreachable(upstream, e);
        if (e instanceof java.io.InterruptedIOException) {
            return new KeelException(ErrorCode.UNAVAILABLE, "interrupted while calling " + upstream, e);
        }
        return UpstreamException.unreachable(upstream, e);
    }

    /** Reads an error body (bounded) and maps the status. */
    private static UpstreamException statusError(String upstream, Http1Client.Response response) {
        String body;
        try (response; InputStream in = response.body()) {
            body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        return UpstreamException.ofStatus(upstream, response.status(), body, response.header("retry-after"));
    }
}
