package io.keel.agent.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code http_get}: fetches a URL whose host is on the allow-list ({@code example.com} or {@code *.example.com}), over
 * http or https, with no redirects followed, a time limit and a size limit (the body is cut off there). A host that
 * resolves to a private, loopback, link-local or otherwise internal address is refused unless it is listed in
 * {@code allow_private_hosts} (meant for tests and internal services an operator chose to expose), so a model cannot
 * be talked into reaching the cloud metadata service or an internal admin port.
 */
public final class HttpGetTool implements Tool {
    private final List<String> allowedHosts;
    private final List<String> privateHosts;
    private final Duration timeout;
    private final int maxBytes;
    private final HttpClient client;

    /**
     * @param allowedHosts hosts that may be fetched; an empty list allows none
     * @param privateHosts hosts that may resolve to internal addresses (each must also be allowed)
     */
    public HttpGetTool(List<String> allowedHosts, List<String> privateHosts, Duration timeout, int maxBytes) {
        this.allowedHosts = normalized(allowedHosts);
        this.privateHosts = normalized(privateHosts);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1");
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static List<String> normalized(List<String> hosts) {
        return hosts == null ? List.of() : hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public String name() {
        return "http_get";
    }

    @Override
    public String description() {
        return "Fetches a web page or API response by URL (GET) from an allowed host and returns its status and text.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object",
                "properties", Map.of("url", Map.of("type", "string", "minLength", 8, "maxLength", 2048)),
                "required", List.of("url"), "additionalProperties", false);
    }

    @Override
    public String call(JsonNode args, ToolContext context) throws ToolException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(args.get("url").asText().strip());
        } catch (IllegalArgumentException e) {
            throw new ToolException("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw new ToolException("only http and https URLs may be fetched");
        if (uri.getUserInfo() != null) throw new ToolException("URLs with credentials are refused");
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null) throw new ToolException("the URL has no host");
        if (!matches(allowedHosts, host)) throw new ToolException("host '" + host + "' is not on the allow-list");
        checkAddresses(host);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "keel-agent/http_get").header("Accept", "text/*, application/json;q=0.9, */*;q=0.5").build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ToolException("fetch failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new ToolException("reading the body failed: " + e.getMessage());
        }
        boolean cut = body.length > maxBytes;
        String text = new String(body, 0, Math.min(body.length, maxBytes), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("HTTP ").append(response.statusCode());
        response.headers().firstValue("content-type").ifPresent(ct -> sb.append(" (").append(ct).append(')'));
        if (response.statusCode() / 100 == 3) response.headers().firstValue("location").ifPresent(l -> sb.append(" redirect to ").append(l).append(" (not followed)"));
        sb.append('\n').append(text);
        if (cut) sb.append("\n[cut off at ").append(maxBytes).append(" bytes]");
        return sb.toString();
    }

    private void checkAddresses(String host) throws ToolException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ToolException("unknown host '" + host + "'");
        }
        if (matches(privateHosts, host)) return;
        for (InetAddress a : addresses) {
            if (internal(a)) throw new ToolException("host '" + host + "' resolves to an internal address (" + a.getHostAddress() + "); refused");
        }
    }

    /** Loopback, private (RFC 1918, fc00::/7), link-local, any-local, multicast, CGNAT and the metadata range. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 169 && second == 254)
                    || (first == 198 && (second == 18 || second == 19)) || first >= 240;
        }
        return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }

    static boolean matches(List<String> patterns, String host) {
        for (String p : patterns) {
            if (p.equals(host)) return true;
            if (p.startsWith("*.") && host.endsWith(p.substring(1))) return true;
        }
        return false;
    }
}
