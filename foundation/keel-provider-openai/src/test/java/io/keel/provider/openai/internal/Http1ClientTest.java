package io.keel.provider.openai.internal;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class Http1ClientTest {
    /** Answers each connection's first request, then closes it: every pooled connection goes stale. */
    private static Thread oneShotServer(ServerSocket server, AtomicInteger connections, boolean chunked) {
        return Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    int length = 0;
                    String line;
                    while (!(line = in.readLine()).isEmpty()) {
                        if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
                    }
                    in.skip(length);
                    OutputStream out = s.getOutputStream();
                    String response = chunked
                            ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                            : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcde";
                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(50);
                } catch (Exception e) {
                    // next connection
                }
            }
        });
    }

    @Test
    void retriesOnceOnAFreshConnectionWhenThePooledOneWentStale() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            oneShotServer(server, connections, false);
            Http1Client client = new Http1Client(Duration.ofSeconds(1));
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");
            for (int i = 0; i < 3; i++) {
                try (Http1Client.Response r = client.send(uri, "POST", Map.of(), "{}".getBytes(), Duration.ofSeconds(1))) {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
                }
                Thread.sleep(120);
            }
            assertThat(connections).hasValue(3);
        }
    }

    /**
     * Serves every request on a kept-alive connection: the head at once, then the chunked body {@code "a"} every
     * {@code gap}, {@code events} times, then stalls for {@code stall} before ending the body.
     */
    private static void tricklingServer(ServerSocket server, Duration gap, int events, Duration stall) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                            OutputStream out = s.getOutputStream();
                            while (true) {
                                String line;
                                int length = 0;
                                while (!(line = in.readLine()).isEmpty()) {
                                    if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
                                }
                                in.skip(length);
                                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                for (int i = 0; i < events; i++) {
                                    Thread.sleep(gap);
                                    out.write("1\r\na\r\n".getBytes(StandardCharsets.US_ASCII));
                                    out.flush();
                                }
                                Thread.sleep(stall);
                                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                        } catch (Exception e) {
                            // connection over
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    @Test
    void theReadTimeoutBoundsSilenceNotTheWholeResponse() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            tricklingServer(server, Duration.ofMillis(100), 8, Duration.ZERO);
            Http1Client client = new Http1Client(Duration.ofSeconds(1));
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
            try (Http1Client.Response r = client.send(uri, "POST", Map.of(), new byte[0], Duration.ofMillis(400))) {
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("800 ms of body with 100 ms gaps under a 400 ms timeout").isEqualTo("aaaaaaaa");
            }
            Thread.sleep(600);
            try (Http1Client.Response r = client.send(uri, "POST", Map.of(), new byte[0], Duration.ofMillis(400))) {
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("the pooled connection outlived its released timeout").isEqualTo("aaaaaaaa");
            }
        }
    }

    @Test
    void aStallLongerThanTheReadTimeoutFailsAsATimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            tricklingServer(server, Duration.ofMillis(50), 2, Duration.ofSeconds(5));
            Http1Client client = new Http1Client(Duration.ofSeconds(1));
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
            long start = System.nanoTime();
            try (Http1Client.Response r = client.send(uri, "POST", Map.of(), new byte[0], Duration.ofMillis(300))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.body().readAllBytes())
                        .isInstanceOf(java.net.SocketTimeoutException.class).hasMessageContaining("nothing received for 300 ms");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
        }
    }

    @Test
    void decodesChunkedBodies() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            oneShotServer(server, new AtomicInteger(), true);
            Http1Client client = new Http1Client(Duration.ofSeconds(1));
            try (Http1Client.Response r = client.send(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"), "POST",
                    Map.of(), new byte[0], Duration.ofSeconds(1))) {
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
            }
        }
    }
}
