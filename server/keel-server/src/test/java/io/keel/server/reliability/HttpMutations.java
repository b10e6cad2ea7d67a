package io.keel.server.reliability;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-level mutations of a well-formed HTTP/1.1 request: framing, request line and headers broken the ways careless
 * clients, proxies and attackers break them.
 */
final class HttpMutations {
    private static final List<String> INSERTS = List.of("\r\n", "\n", "\r", "\0", ":", " ", "\t", "\r\n\r\n",
            "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n", "Content-Length: 99999\r\n",
            "Content-Length: -1\r\n", "Content-Length: 5\r\n", "Content-Length: 1e3\r\n", "Content-Length: 18446744073709551617\r\n",
            "Expect: 100-continue\r\n", "Host: a\r\n", " folded continuation\r\n", "Connection: keep-alive, Upgrade\r\nUpgrade: h2c\r\n",
            "Content-Type: application/json\r\n", "Content-Type: ;;;\r\n", "Content-Encoding: gzip\r\n", "%", "\u00ff\u00fe");
    private static final List<String> REQUEST_LINES = List.of("GET / HTTP/1.1", "GET /v1/query HTTP/2.0",
            "POST http://127.0.0.1/v1/query HTTP/1.1", "BREW /v1/query HTTP/1.1", "GET /" + "a".repeat(10_000) + " HTTP/1.1",
            "GET /v1/../../etc/passwd HTTP/1.1", "GET /%zz HTTP/1.1", "GET  /  HTTP/1.1", "G", "GET /health/live HTTP/1.0",
            "POST /v1/documents HTTP/1.0", "GET /health/live", "GET * HTTP/1.1", "CONNECT 127.0.0.1:80 HTTP/1.1",
            "OPTIONS /v1/query HTTP/1.1", "HEAD /v1/query HTTP/1.1", "GET /v1/query?" + "q=1&".repeat(2_000) + " HTTP/1.1",
            "POST /v1/query HTTP/1.1 extra", "post /v1/query http/1.1", "GET /\u00e9 HTTP/1.1");
    private static final List<String> CHUNK_SIZES = List.of("zz", "-1", "1e", "ffffffffffffffffff", "", " 5", "5;ext=1",
            "0", "3\r\nabc", "100000");

    /** One mutation: its kind and where it applies. */
    record Mutation(int kind, int at, int length, int choice, byte value) {
    }

    private HttpMutations() {
    }

    static Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(1, 70_000), Arbitraries.integers().between(0, 1_000), Arbitraries.bytes())
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    static byte[] apply(byte[] request, List<Mutation> mutations) {
        byte[] r = request;
        for (Mutation m : mutations) r = apply(r, m);
        return r;
    }

    private static byte[] apply(byte[] r, Mutation m) {
        int at = r.length == 0 ? 0 : m.at() % r.length;
        return switch (m.kind()) {
            case 0 -> { // one byte changed
                byte[] c = r.clone();
                if (c.length > 0) c[at] = m.value();
                yield c;
            }
            case 1 -> splice(r, at, Math.min(r.length, at + 1 + m.length() % 16), new byte[0]); // bytes deleted
            case 2 -> splice(r, at, at, bytes(INSERTS.get(m.choice() % INSERTS.size()))); // a token inserted
            case 3 -> Arrays.copyOf(r, at); // truncated
            case 4 -> { // another request line
                int eol = indexOf(r, (byte) '\n');
                yield splice(r, 0, eol < 0 ? r.length : Math.max(0, eol - 1), bytes(REQUEST_LINES.get(m.choice() % REQUEST_LINES.size())));
            }
            case 5 -> afterRequestLine(r, bytes("X-Big: " + "a".repeat(m.length()) + "\r\n")); // one huge header
            case 6 -> { // many headers
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < m.choice(); i++) b.append("X-H").append(i).append(": v\r\n");
                yield afterRequestLine(r, bytes(b.toString()));
            }
            case 7 -> chunked(r, CHUNK_SIZES.get(m.choice() % CHUNK_SIZES.size())); // broken chunked framing
            default -> { // the head sent twice (a pipelined duplicate with a stale Content-Length)
                int end = indexOf(r, "\r\n\r\n");
                yield end < 0 ? r : splice(r, r.length, r.length, Arrays.copyOf(r, end + 4));
            }
        };
    }

    /** The body re-framed as one chunk whose size line is {@code size}, its Content-Length replaced. */
    private static byte[] chunked(byte[] r, String size) {
        int end = indexOf(r, "\r\n\r\n");
        if (end < 0) return r;
        String head = new String(r, 0, end, StandardCharsets.ISO_8859_1).replaceAll("(?im)^Content-Length:.*$\\r?\\n?", "")
                .replaceAll("\\r\\n$", "");
        byte[] body = Arrays.copyOfRange(r, end + 4, r.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(head + "\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\n"));
        out.writeBytes(body);
        out.writeBytes(bytes("\r\n0\r\n\r\n"));
        return out.toByteArray();
    }

    private static byte[] afterRequestLine(byte[] r, byte[] insert) {
        int eol = indexOf(r, (byte) '\n');
        return splice(r, eol < 0 ? r.length : eol + 1, eol < 0 ? r.length : eol + 1, insert);
    }

    private static byte[] splice(byte[] r, int from, int to, byte[] insert) {
        byte[] c = new byte[r.length - (to - from) + insert.length];
        System.arraycopy(r, 0, c, 0, from);
        System.arraycopy(insert, 0, c, from, insert.length);
        System.arraycopy(r, to, c, from + insert.length, r.length - to);
        return c;
    }

    private static int indexOf(byte[] r, byte b) {
        for (int i = 0; i < r.length; i++) if (r[i] == b) return i;
        return -1;
    }

    private static int indexOf(byte[] r, String s) {
        byte[] p = bytes(s);
        outer:
        for (int i = 0; i + p.length <= r.length; i++) {
            for (int j = 0; j < p.length; j++) if (r[i + j] != p[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
