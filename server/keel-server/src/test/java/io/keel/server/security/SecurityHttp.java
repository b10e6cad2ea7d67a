package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.http.HttpJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests with a bearer credential to a test server on loopback, for the security tests. */
final class SecurityHttp {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private SecurityHttp() {
    }

    /** {@code method path} as {@code key} (null: anonymous) with a JSON {@code body} (null: none). */
    static HttpResponse<String> send(int port, String key, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits for the next minute when fewer than 15 seconds of this one are left: rates are counted in fixed UTC minutes,
     * so a test whose requests straddle a minute's end would see its count start again.
     */
    static void withinOneMinute() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 45_000) Thread.sleep(60_000 - intoMinute + 200);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return HttpJson.MAPPER.readTree(r.body());
    }
}
