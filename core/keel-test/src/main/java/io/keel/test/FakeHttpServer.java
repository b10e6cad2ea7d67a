package io.keel.test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal HTTP/1.1 server on raw sockets, so a fake can do what a well-behaved server library would not: hold the
 * first byte back, stream chunked bodies with explicit flushes, and reset a connection mid-response. Keeps
 * connections alive, one virtual thread per connection; binds to the loopback interface on an ephemeral port.
 *
 * <p>Subclasses speak a provider's protocol in {@link #handle}. Replies are scripted: {@link #enqueue} queues replies
 * used in order, one per model request; when the queue is empty {@link #defaultReply} is used. {@code S} is the
 * subclass, so the fluent setters return it.
 *
 * <p>One class, longer than most on purpose: the socket loop, the HTTP/1.1 framing and the injected faults (held first
 * byte, reset, reset mid-stream) act on the same connection state; the fakes see only {@link Exchange}.
 */
public abstract class FakeHttpServer<S extends FakeHttpServer<S>> implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Reply defaultReply = Reply.text("Hello from the fake model.");
    private volatile Function<RecordedRequest, Reply> responder;
    private volatile boolean recording = true;
    private final String name;
    private Thread acceptor;

    /** Binds the port; the subclass calls {@link #start()} once it is fully constructed. */
    protected FakeHttpServer(String name) {
        this.name = name;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind " + name, e);
        }
    }

    /** Starts accepting connections; called once, at the end of the subclass constructor. */
    protected final void start() {
        if (acceptor != null) throw new IllegalStateException("already started");
        acceptor = Thread.ofPlatform().daemon().name(name + "-accept").start(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    public URI baseUri() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Queues replies for the next model requests, in order. */
    public S enqueue(Reply... replies) {
        Collections.addAll(script, replies);
        return self();
    }

    /** The reply used when the script is empty. */
    public S defaultReply(Reply reply) {
        this.defaultReply = reply;
        return self();
    }

    /** Turns request recording off, e.g. for a benchmark that would otherwise keep every request in memory. */
    public S recording(boolean on) {
        this.recording = on;
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(received);
    }

    /** Requests whose path ends with {@code suffix}. */
    public List<RecordedRequest> requests(String pathSuffix) {
        return received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    /** Forgets the recorded requests and the remaining script. */
    public void reset() {
        received.clear();
        script.clear();
    }

    /**
     * Answers every model request the script does not cover with {@code responder}'s reply to it (instead of the
     * default reply): a fake whose answer depends on what was asked, e.g. on the prompt a variant sent.
     */
    public S responder(Function<RecordedRequest, Reply> responder) {
        this.responder = responder;
        return self();
    }

    protected Reply nextReply() {
        Reply r = script.poll();
        return r != null ? r : defaultReply;
    }

    /** The next scripted reply, else the {@link #responder}'s reply to {@code request}, else the default reply. */
    protected Reply nextReply(RecordedRequest request) {
        Reply r = script.poll();
        if (r != null) return r;
        Function<RecordedRequest, Reply> f = responder;
        return f != null ? f.apply(request) : defaultReply;
    }

    protected String nextId(String prefix) {
        return prefix + ids.incrementAndGet();
    }

    /** Answers one request. Runs on the connection's virtual thread. */
    protected abstract void handle(RecordedRequest request, Exchange exchange) throws IOException;

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) closeQuietly(s);
        connections.shutdownNow();
        if (acceptor == null) return;
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                if (server.isClosed()) return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                RecordedRequest request = readRequest(in);
                if (request == null) return;
                if (recording) received.add(request);
                Exchange exchange = new Exchange(socket, out);
                handle(request, exchange);
                if (exchange.closed || "close".equalsIgnoreCase(request.header("connection"))) return;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or a fault closed the connection: nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    private static RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) return null;
        while (requestLine.isEmpty()) {
            requestLine = readLine(in);
            if (requestLine == null) return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 3) throw new IOException("bad request line: " + requestLine);
        Map<String, String> headers = new HashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = in.readNBytes(length);
            if (body.length < length) return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return new RecordedRequest(parts[0], parts[1], headers, text, parseObject(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseObject(String text) {
        if (text.isBlank() || text.charAt(0) != '{') return Map.of();
        try {
            return JSON.readValue(text, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            if (size == null) throw new IOException("truncated chunked body");
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = readLine(in);
                    if (trailer == null || trailer.isEmpty()) return body.toByteArray();
                }
            }
            body.write(in.readNBytes(n));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    protected static byte[] json(Object tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Writes one response on the connection. */
    protected static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private boolean chunked;
        boolean closed;

        Exchange(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        /** A complete response with a Content-Length body. */
        public void respond(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
            StringBuilder head = statusLine(status).append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        /** Starts a chunked {@code text/event-stream} response. */
        public void startEventStream(Map<String, String> headers) throws IOException {
            StringBuilder head = statusLine(200).append("Content-Type: text/event-stream\r\n")
                    .append("Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            chunked = true;
        }

        /** Sends text as one HTTP chunk and flushes it. */
        public void chunk(String text) throws IOException {
            if (!chunked) throw new IllegalStateException("not a chunked response");
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Ends a chunked response cleanly. */
        public void endChunks() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Aborts the connection with a TCP reset: the client sees "connection reset", not a clean end. */
        public void reset() {
            closed = true;
            try {
                socket.setSoLinger(true, 0);
            } catch (SocketException ignored) {
                // closing anyway
            }
            closeQuietly(socket);
        }

        /**
         * Resets the connection after giving the client a moment to read what was already sent, as a server that
         * crashes mid-response does (a reset arriving with unread data would discard it on the client's side).
         */
        public void resetMidStream() {
            sleep(Duration.ofMillis(50));
            reset();
        }

        /** Keeps the request unanswered until the client gives up or the server closes. */
        public void hang() {
            closed = true;
            try {
                while (socket.getInputStream().read() != -1) {
                    // discard until the client closes
                }
            } catch (IOException ignored) {
                // client gone
            }
        }

        private static StringBuilder statusLine(int status) {
            return new StringBuilder(160).append("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\n");
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> "Status";
            };
        }
    }

    /** The text of every message's content, for default prompt-token counts. */
    @SuppressWarnings("unchecked")
    protected static String promptText(Map<String, Object> body) {
        StringBuilder sb = new StringBuilder();
        Object system = body.get("system");
        if (system instanceof String s) sb.append(s).append(' ');
        Object messages = body.get("messages");
        if (messages instanceof List<?> list) {
            for (Object m : list) {
                if (m instanceof Map<?, ?> map) appendContent(sb, map.get("content"));
            }
        }
        return sb.toString();
    }

    private static void appendContent(StringBuilder sb, Object content) {
        if (content instanceof String s) {
            sb.append(s).append(' ');
        } else if (content instanceof List<?> blocks) {
            for (Object b : blocks) {
                if (b instanceof Map<?, ?> block && block.get("text") instanceof String t) sb.append(t).append(' ');
            }
        }
    }

    protected static List<Object> list(Object... items) {
        List<Object> l = new ArrayList<>(items.length);
        Collections.addAll(l, items);
        return l;
    }
}
