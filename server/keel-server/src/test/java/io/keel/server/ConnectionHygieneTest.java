package io.keel.server;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hostile and careless clients over raw loopback sockets: idle, trickling and {@code Connection: close} connections are
 * closed, HTTP/1.0 health checks are answered, and a malformed chunked body is one 400 in the JSON envelope followed by
 * the end of the connection. Timeouts are set short here so the test stays fast.
 */
class ConnectionHygieneTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(600);
    private static final int MAX_CONNECTIONS = 16;
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");
    private static KeelServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("keel-connections-test");
        KeelConfig config = KeelConfig.defaults().withDataDir(dir.resolve("data"));
        Keel keel = Keel.open(config);
        server = KeelServer.start(keel, config.server().withPort(0).withConnections(HEADER_TIMEOUT, READ_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes the connection; fails when it is still open after 5 s. */
    private static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            fail("the server left the connection open; it sent: " + all.toString(StandardCharsets.UTF_8));
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** One complete response (headers and a Content-Length body) without waiting for the connection to close. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) fail("the connection closed before the response ended: " + head);
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(headers);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return headers + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static long count(String text, Pattern p) {
        return p.matcher(text).results().count();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithinTheIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            assertThat(readUntilClosed(s)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(IDLE_TIMEOUT.multipliedBy(3));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"G\u0001T", "\u0000", "GE(T"})
    void aMethodTheParserCannotReadIs400InTheEnvelopeNot500(String method) throws Exception {
        try (Socket s = connect()) {
            send(s, method + " /v1/query HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String answer = readUntilClosed(s);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("\"code\":\"invalid_request\"").contains("the request line is malformed");
        }
    }

    @Test
    void aMalformedAbsoluteUriIsNotA500() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST http:\u00ff/127.0.0.1/v1/query HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String answer = readUntilClosed(s);
            assertThat(answer).startsWith("HTTP/1.1 4");
        }
    }

    @Test
    void anUnparsableContentTypeIs415NotA500() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /v1/keys HTTP/1.1\r\nHost: localhost\r\nContent-Type: \r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
            String answer = readUntilClosed(s);
            assertThat(answer).startsWith("HTTP/1.1 415");
            assertThat(answer).contains("cannot be parsed");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            assertThat(readUntilClosed(s)).doesNotContain("200");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aTricklingHeaderIsCutOff() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /health/live HTTP/1.1\r\n");
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 20 && !cut; i++) {
                try {
                    send(s, "X");
                    Thread.sleep(200);
                } catch (IOException closed) {
                    cut = true;
                }
                if (!cut && s.getInputStream().available() > 0) cut = true;
            }
            if (!cut) fail("a header sent one byte per 200 ms was still read after 20 bytes");
            assertThat(readUntilClosed(s)).doesNotContain("HTTP/1.1 200");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aStalledBodyIsRefusedAndTheConnectionClosed() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /v1/retrieve HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"question\":");
            long start = System.nanoTime();
            String all = readUntilClosed(s);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(all).doesNotContain("HTTP/1.1 200").doesNotContain("HTTP/1.1 500");
        }
    }

    @Test
    void aTricklingBodyIsCutOffAtTheBodyTimeout() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /v1/retrieve HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n{\"question\":\"");
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    send(s, "a");
                    Thread.sleep(150);   // faster than the read timeout, slower than the body timeout allows
                } catch (IOException closed) {
                    cut = true;
                }
                if (!cut && s.getInputStream().available() > 0) cut = true;
            }
            if (!cut) fail("a body sent one byte per 150 ms was still read after 6 s");
            assertThat(readUntilClosed(s)).doesNotContain("HTTP/1.1 200").doesNotContain("HTTP/1.1 500");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BODY_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void connectionCloseClosesTheSocketAfterTheResponse() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            long start = System.nanoTime();
            String all = readUntilClosed(s);
            assertThat(all).startsWith("HTTP/1.1 200").contains("\"live\"");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(IDLE_TIMEOUT);
        }
    }

    @Test
    void anHttp10HealthCheckIsAnswered() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /health/live HTTP/1.0\r\n\r\n");
            String all = readUntilClosed(s);
            assertThat(all).matches("(?s)HTTP/1\\.[01] 200.*").endsWith("{\"status\":\"live\"}");
        }
        try (Socket s = connect()) {
            send(s, "GET /v1/retrieve HTTP/1.0\r\n\r\n");
            assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 505").contains("\"error\"").contains("HTTP/1.1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/query", "/v1/retrieve", "/v1/documents", "/v1/guard/scan"})
    void aMalformedChunkSizeIsOne400AndTheConnectionCloses(String path) throws Exception {
        try (Socket s = connect()) {
            send(s, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"question\":\"x\"}\r\n0\r\n\r\n");
            String all = readUntilClosed(s);
            assertThat(all).startsWith("HTTP/1.1 400").contains("\"error\"").contains("\"invalid_request\"").contains("chunk");
            assertThat(count(all, STATUS_LINE)).as("responses on the connection: %s", all).isEqualTo(1);
        }
    }

    @Test
    void getOnThePushRouteIs405() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /v1/documents HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String all = readUntilClosed(s);
            assertThat(all).startsWith("HTTP/1.1 405").contains("\"error\"").containsIgnoringCase("allow: POST");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/query", "/v1/retrieve", "/v1/documents", "/v1/guard/scan", "/v1/chat/completions", "/v1/embeddings"})
    void textPlainIsRefusedWith415OnEveryJsonRoute(String path) throws Exception {
        String body = "{\"question\":\"x\"}";
        try (Socket s = connect()) {
            send(s, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 415").contains("\"error\"").contains("application/json");
        }
    }

    @Test
    void connectionsPastTheLimitWaitUnansweredUntilOneCloses() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (Socket extra = new Socket()) {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                Socket s = connect();
                held.add(s);
                send(s, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
            }
            extra.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 1_000);
            send(extra, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            extra.setSoTimeout(150);
            try {
                int b = extra.getInputStream().read();
                fail("a connection past the limit of " + MAX_CONNECTIONS + " was served (read " + b + ")");
            } catch (SocketTimeoutException expected) {
                // not accepted: it waits in the listen backlog, costing the server no file descriptor
            }
            for (Socket s : held) s.close();
            extra.setSoTimeout(5_000);
            assertThat(readUntilClosed(extra)).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
