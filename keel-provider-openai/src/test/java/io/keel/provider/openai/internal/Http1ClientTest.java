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
