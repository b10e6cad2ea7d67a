package io.keel.agent.tool.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;
import io.keel.core.answer.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpGetToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/page", ex -> {
            byte[] b = "hello from the page".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/big", ex -> {
            byte[] b = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String get(HttpGetTool tool, String url) throws Exception {
        return tool.call(JSON.createObjectNode().put("url", url), new ToolContext(Caller.ANONYMOUS, "r"));
    }

    private static HttpGetTool allowingLoopback() {
        return allowingLoopback(Duration.ofSeconds(10));
    }

    private static HttpGetTool allowingLoopback(Duration timeout) {
        return new HttpGetTool(List.of("127.0.0.1"), List.of("127.0.0.1"), timeout, 1000);
    }

    @Test
    void fetchesAnAllowedHostWithStatusAndType() throws Exception {
        assertThat(get(allowingLoopback(), base + "/page")).startsWith("HTTP 200 (text/plain)").contains("hello from the page");
    }

    @Test
    void refusesHostsOffTheAllowList() {
        HttpGetTool tool = new HttpGetTool(List.of("example.com"), List.of(), Duration.ofSeconds(1), 1000);
        assertThatThrownBy(() -> get(tool, base + "/page")).isInstanceOf(ToolException.class).hasMessageContaining("not on the allow-list");
        assertThatThrownBy(() -> get(tool, "file:///etc/passwd")).hasMessageContaining("only http and https");
    }

    @Test
    void refusesLoopbackAndPrivateAddressesUnlessExplicitlyAllowed() {
        HttpGetTool allowedButNotPrivate = new HttpGetTool(List.of("127.0.0.1", "localhost"), List.of(), Duration.ofSeconds(1), 1000);
        assertThatThrownBy(() -> get(allowedButNotPrivate, base + "/page")).hasMessageContaining("internal address");
        assertThatThrownBy(() -> get(allowedButNotPrivate, "http://localhost:" + server.getAddress().getPort() + "/page"))
                .hasMessageContaining("internal address");
    }

    @Test
    void classifiesInternalAddresses() throws Exception {
        for (String a : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1")) {
            assertThat(HttpGetTool.internal(InetAddress.getByName(a))).as(a).isTrue();
        }
        for (String a : List.of("93.184.216.34", "8.8.8.8", "2606:4700::1111")) {
            assertThat(HttpGetTool.internal(InetAddress.getByName(a))).as(a).isFalse();
        }
    }

    @Test
    void cutsTheBodyAtTheSizeLimitAndStopsAtTheTimeLimit() throws Exception {
        String big = get(allowingLoopback(), base + "/big");
        assertThat(big).contains("[cut off at 1000 bytes]").hasSizeLessThan(1200);
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(allowingLoopback(Duration.ofMillis(500)), base + "/slow")).hasMessageContaining("fetch failed");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
    }

    @Test
    void doesNotFollowRedirects() throws Exception {
        assertThat(get(allowingLoopback(), base + "/redirect")).startsWith("HTTP 302").contains("not followed");
    }

    @Test
    void matchesWildcardHosts() {
        assertThat(HttpGetTool.matches(List.of("*.example.com"), "docs.example.com")).isTrue();
        assertThat(HttpGetTool.matches(List.of("*.example.com"), "example.com")).isFalse();
        assertThat(HttpGetTool.matches(List.of("*.example.com"), "evilexample.com")).isFalse();
    }
}
