package io.keel.server.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One exchange over a raw loopback socket: the bytes are sent as they are (nothing is validated or repaired), then
 * everything the server answers is read until it closes the connection or {@code timeoutMillis} pass without a byte.
 */
final class RawHttp {
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

    /** What came back: the first status (0 when none), the whole answer, and whether the server went silent. */
    record Exchange(int status, String answer, boolean hung) {
        boolean answered() {
            return status > 0;
        }
    }

    private RawHttp() {
    }

    static Exchange send(int port, byte[] request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                s.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server may refuse a request before it is fully written: read what it answered
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            boolean hung = false;
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                    if (all.size() > 4 * 1024 * 1024) break;
                }
            } catch (SocketTimeoutException e) {
                hung = true;
            } catch (IOException reset) {
                // a reset after the answer: the connection is closed all the same
            }
            String answer = all.toString(StandardCharsets.ISO_8859_1);
            Matcher m = STATUS.matcher(answer);
            return new Exchange(m.find() ? Integer.parseInt(m.group(1)) : 0, answer, hung);
        }
    }

    /** A request with {@code Connection: close} and a {@code Content-Length} body (none when {@code body} is null). */
    static byte[] request(String method, String target, String contentType, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) return h;
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
