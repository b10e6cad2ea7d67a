package io.keel.provider.openai.internal;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small blocking HTTP/1.1 client with keep-alive connection pooling, made for virtual threads: each call does plain
 * blocking socket I/O on the calling thread, so a streamed response is read without handing every chunk from a
 * selector thread to the reader (the JDK client's cost per event). The read timeout bounds every wait for bytes, so
 * it bounds both the wait for the first byte and the silence between stream events; it is kept by a watchdog
 * ({@link ReadTimeouts}) rather than by timed socket reads, which cost a timer wake-up per read on virtual threads.
 *
 * <p>A request sent on a pooled connection that the server had already closed is retried once on a new connection,
 * but only when no byte of a response arrived. Thread-safe.
 *
 * <p>Longer than most classes on purpose: the connection pool, the request writer and the chunked and streamed response
 * reader share each connection's state and the retry-once rule.
 */
public final class Http1Client {
    private static final int MAX_IDLE_PER_HOST = 256;
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(4).toNanos(); // below the 5 s keep-alive of uvicorn (vLLM) and Node

    private final Map<String, Idle> idle = new ConcurrentHashMap<>();
    private final Duration connectTimeout;

    public Http1Client(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** A response whose body must be read to the end or closed; either returns or discards the connection. */
    public static final class Response implements AutoCloseable {
        private final int status;
        private final Map<String, String> headers;
        private final BodyStream body;

        Response(int status, Map<String, String> headers, BodyStream body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** A header value (name case-insensitive), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public InputStream body() {
            return body;
        }

        /**
         * Runs {@code hook} on the reading thread each time reading the body is about to wait for the network, until
         * the body ends or is closed; null removes it. A hook that throws fails that read.
         */
        public void beforeWait(Runnable hook) {
            body.conn.in.beforeWait = hook;
        }

        /**
         * The whole body, read into an array of exactly its {@code Content-Length} when the response has one (no
         * growing buffers), and the connection returned to the pool.
         */
        public byte[] bodyBytes() throws IOException {
            if (body instanceof FixedBody f && f.remaining != Long.MAX_VALUE && f.remaining <= Integer.MAX_VALUE - 8) {
                byte[] out = new byte[(int) f.remaining];
                int n = body.readNBytes(out, 0, out.length);
                if (n != out.length) throw new EOFException("connection closed " + (out.length - n) + " bytes before the end of the body");
                return out;
            }
            return body.readAllBytes();
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /**
     * A request target with its head (request line, {@code Host}, fixed headers) encoded once, for requests sent many
     * times to the same place.
     */
    public record Target(URI uri, String method, String key, byte[] head) {
    }

    /** Encodes the fixed part of requests to {@code uri}; {@code headers} must not include {@code Content-Length}. */
    public static Target target(String method, URI uri, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n").append("Host: ").append(uri.getHost());
        if (uri.getPort() != -1) head.append(':').append(uri.getPort());
        head.append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        return new Target(uri, method, uri.getScheme() + "://" + uri.getHost() + ":" + port(uri),
                head.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a one-off request; see {@link #send(Target, byte[], Duration)}. */
    public Response send(URI uri, String method, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws IOException {
        return send(target(method, uri, headers), body, readTimeout);
    }

    /**
     * Sends a request and returns once the status line and headers arrived.
     *
     * @param readTimeout limit on every single read, from the first byte of the response to the last
     */
    public Response send(Target target, byte[] body, Duration readTimeout) throws IOException {
        Connection pooled = poll(target.key());
        if (pooled != null) {
            try {
                return exchange(pooled, target, body, readTimeout);
            } catch (StaleConnectionException e) {
                // the server closed the idle connection before our request: nothing was processed, use a new one
            }
        }
        Connection fresh = connect(target.uri());
        try {
            return exchange(fresh, target, body, readTimeout);
        } catch (StaleConnectionException e) {
            throw (IOException) e.getCause();
        }
    }

    private Response exchange(Connection c, Target target, byte[] body, Duration readTimeout) throws IOException {
        String key = target.key();
        String method = target.method();
        boolean gotBytes = false;
        try {
            c.arm(readTimeout);
            c.out.write(target.head());
            c.out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            c.out.write(body);
            c.out.flush();
            int first = c.in.read();
            if (first == -1) throw new EOFException("connection closed before the response");
            gotBytes = true;
            byte[] scratch = c.scratch;
            String statusLine = (char) first + readLine(c.in, scratch);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x response: " + statusLine);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> responseHeaders = new HashMap<>();
            String line;
            while (!(line = readLine(c.in, scratch)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            boolean keepAlive = !"close".equalsIgnoreCase(responseHeaders.get("connection"))
                    && !parts[0].equals("HTTP/1.0");
            BodyStream stream;
            if ("chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))) {
                stream = new ChunkedBody(this, key, c, keepAlive);
            } else if (responseHeaders.containsKey("content-length")) {
                stream = new FixedBody(this, key, c, keepAlive, Long.parseLong(responseHeaders.get("content-length")));
            } else if (status == 204 || status == 304 || method.equals("HEAD")) {
                stream = new FixedBody(this, key, c, keepAlive, 0);
            } else {
                stream = new FixedBody(this, key, c, false, Long.MAX_VALUE);
            }
            return new Response(status, responseHeaders, stream);
        } catch (IOException e) {
            IOException failure = c.timedOut(e);
            c.close();
            if (!gotBytes && c.reused && !(failure instanceof SocketTimeoutException)) throw new StaleConnectionException(failure);
            throw failure;
        } catch (RuntimeException e) {
            c.close();
            throw new IOException("malformed HTTP response: " + e.getMessage(), e);
        }
    }

    private Connection connect(URI uri) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), (int) connectTimeout.toMillis());
            if ("https".equalsIgnoreCase(uri.getScheme())) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, uri.getHost(), port(uri), true);
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setApplicationProtocols(new String[] {"http/1.1"});
                tls.setSSLParameters(params);
                tls.startHandshake();
                socket = tls;
            }
            return new Connection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // failed anyway
            }
            throw e;
        }
    }

    /** The idle connections to one host, most recently used first, with their count (the deque's size() is O(n)). */
    private static final class Idle {
        final ConcurrentLinkedDeque<Connection> queue = new ConcurrentLinkedDeque<>();
        final AtomicInteger count = new AtomicInteger();
    }

    private Connection poll(String key) {
        Idle q = idle.get(key);
        if (q == null) return null;
        Connection c;
        long now = System.nanoTime();
        while ((c = q.queue.pollFirst()) != null) {
            q.count.decrementAndGet();
            if (now - c.idleSince < MAX_IDLE_NANOS && !c.socket.isClosed()) {
                c.reused = true;
                return c;
            }
            c.close();
        }
        return null;
    }

    void release(String key, Connection c) {
        c.disarm();
        Idle q = idle.get(key);
        if (q == null) q = idle.computeIfAbsent(key, k -> new Idle());
        if (q.count.incrementAndGet() > MAX_IDLE_PER_HOST) {
            q.count.decrementAndGet();
            c.close();
            return;
        }
        c.idleSince = System.nanoTime();
        q.queue.offerFirst(c);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static String readLine(InputStream in) throws IOException {
        return readLine(in, new byte[128]);
    }

    /** Reads one CRLF- or LF-terminated line as ISO-8859-1, using {@code buf} (grown as needed) as scratch space. */
    static String readLine(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                if (n > 0 && buf[n - 1] == '\r') n--;
                return n == 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == buf.length) {
                if (n > 65536) throw new IOException("HTTP header line too long");
                buf = java.util.Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = (byte) c;
        }
        throw new EOFException("connection closed inside the response head");
    }

    static final class Connection {
        final Socket socket;
        final Input in;
        final OutputStream out;
        final byte[] scratch = new byte[256];
        long idleSince;
        boolean reused;
        private ReadTimeouts.Watch watch;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new Input(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }

        /** Starts the read timeout of one exchange; it ends when the connection is released or closed. */
        void arm(Duration readTimeout) {
            disarm();
            watch = ReadTimeouts.SHARED.arm(socket, readTimeout);
            in.watch = watch;
        }

        void disarm() {
            ReadTimeouts.Watch w = watch;
            if (w == null) return;
            watch = null;
            in.watch = null;
            w.disarm();
        }

        /** {@code e}, or a timeout when it was the watchdog that closed the socket. */
        IOException timedOut(IOException e) {
            ReadTimeouts.Watch w = watch;
            return w != null && w.expired() && !(e instanceof SocketTimeoutException) ? Input.timeout(w, e) : e;
        }

        void close() {
            disarm();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * The connection's read buffer, which can run a hook right before a read that would wait for the network (its
     * buffer is empty and the socket has nothing received): a stream relay flushes what it batched there.
     */
    static final class Input extends BufferedInputStream {
        Runnable beforeWait;
        /** The read timeout of the current exchange; told whenever bytes come from the socket. */
        volatile ReadTimeouts.Watch watch;

        Input(InputStream in, int size) {
            super(in, size);
        }

        private void mayWait() throws IOException {
            Runnable hook = beforeWait;
            if (hook != null && count - pos <= 0 && in.available() <= 0) hook.run();
        }

        @Override
        public int read() throws IOException {
            if (beforeWait != null) mayWait();
            if (count - pos > 0) return super.read();
            try {
                int b = super.read();
                received();
                return b;
            } catch (IOException e) {
                throw timedOut(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (beforeWait != null) mayWait();
            if (count - pos > 0) return super.read(b, off, len);
            try {
                int n = super.read(b, off, len);
                received();
                return n;
            } catch (IOException e) {
                throw timedOut(e);
            }
        }

        private void received() {
            ReadTimeouts.Watch w = watch;
            if (w != null) w.received();
        }

        private IOException timedOut(IOException e) {
            ReadTimeouts.Watch w = watch;
            return w != null && w.expired() ? timeout(w, e) : e;
        }

        static SocketTimeoutException timeout(ReadTimeouts.Watch w, IOException cause) {
            SocketTimeoutException t = new SocketTimeoutException(
                    "Read timed out: nothing received for " + w.timeout().toMillis() + " ms");
            t.initCause(cause);
            return t;
        }
    }

    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(IOException cause) {
            super(cause);
        }
    }

    /** A response body; returns its connection to the pool when read to the end, discards it when closed early. */
    abstract static sealed class BodyStream extends InputStream permits FixedBody, ChunkedBody {
        final Http1Client client;
        final String key;
        final Connection conn;
        final boolean keepAlive;
        boolean finished;
        boolean closed;

        BodyStream(Http1Client client, String key, Connection conn, boolean keepAlive) {
            this.client = client;
            this.key = key;
            this.conn = conn;
            this.keepAlive = keepAlive;
        }

        void finish() {
            if (finished) return;
            finished = true;
            conn.in.beforeWait = null;
            if (keepAlive && !closed) client.release(key, conn);
            else conn.close();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            conn.in.beforeWait = null;
            if (!finished) {
                finished = true;
                conn.close();
            }
        }

        IOException failed(IOException e) {
            finished = true;
            conn.in.beforeWait = null;
            conn.close();
            return e;
        }
    }

    static final class FixedBody extends BodyStream {
        private long remaining;

        FixedBody(Http1Client client, String key, Connection conn, boolean keepAlive, long length) {
            super(client, key, conn, keepAlive);
            this.remaining = length;
            if (length == 0) finish();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("body closed");
            if (remaining == 0) {
                finish();
                return -1;
            }
            int n;
            try {
                n = conn.in.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException e) {
                throw failed(e);
            }
            if (n == -1) {
                if (remaining != Long.MAX_VALUE) throw failed(new EOFException("connection closed " + remaining + " bytes before the end of the body"));
                finish();
                return -1;
            }
            if (remaining != Long.MAX_VALUE) remaining -= n;
            if (remaining == 0) finish();
            return n;
        }
    }

    static final class ChunkedBody extends BodyStream {
        private long chunkLeft = -1;

        ChunkedBody(Http1Client client, String key, Connection conn, boolean keepAlive) {
            super(client, key, conn, keepAlive);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("body closed");
            if (finished) return -1;
            try {
                if (chunkLeft <= 0) {
                    if (chunkLeft == 0) readLine(conn.in, conn.scratch);
                    String size = readLine(conn.in, conn.scratch);
                    int semi = size.indexOf(';');
                    chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (chunkLeft == 0) {
                        while (!readLine(conn.in, conn.scratch).isEmpty()) {
                            // trailers
                        }
                        finish();
                        return -1;
                    }
                }
                int n = conn.in.read(b, off, (int) Math.min(len, chunkLeft));
                if (n == -1) throw new EOFException("connection closed inside a chunk");
                chunkLeft -= n;
                return n;
            } catch (NumberFormatException e) {
                throw failed(new IOException("malformed chunk size", e));
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }
}
