package io.keel.provider.anthropic;

import io.keel.core.chat.UpstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The shared HTTP client, error mapping and stream watchdog of the Anthropic adapter. */
final class AnthropicHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keel-anthropic-stream-watchdog");
        t.setDaemon(true);
        return t;
    });

    private AnthropicHttp() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    /** Maps a transport failure to the matching retryable upstream error. */
    public static UpstreamException transportError(String upstream, IOException e, Duration timeout) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return UpstreamException.unreachable(upstream, e);
        }
        if (e instanceof HttpTimeoutException) return UpstreamException.timeout(upstream, timeout, e);
        return UpstreamException.unreachable(upstream, e);
    }

    /** Reads an error body (bounded) and maps the status. */
    public static UpstreamException statusError(String upstream, HttpResponse<InputStream> response) {
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        return UpstreamException.ofStatus(upstream, response.statusCode(), body,
                response.headers().firstValue("retry-after").orElse(null));
    }

    /**
     * Aborts the read when no {@link IdleWatch#touch() touch} happened for {@code timeout}: closes {@code body} and
     * interrupts the reading thread, so a stream that goes silent fails with an exception instead of hanging. Must be
     * created and closed on the reading thread.
     */
    public static IdleWatch watch(InputStream body, Duration timeout) {
        return new IdleWatch(body, timeout, Thread.currentThread());
    }

    /** See {@link #watch}. */
    public static final class IdleWatch implements AutoCloseable {
        private final AtomicLong last = new AtomicLong(System.nanoTime());
        private final ScheduledFuture<?> task;
        private boolean active = true;
        private volatile boolean fired;

        IdleWatch(InputStream body, Duration timeout, Thread reader) {
            long limit = timeout.toNanos();
            long period = Math.max(10, timeout.toMillis() / 4);
            task = WATCHDOG.scheduleAtFixedRate(() -> {
                if (fired || System.nanoTime() - last.get() <= limit) return;
                synchronized (this) {
                    if (!active) return;
                    fired = true;
                    reader.interrupt();
                }
                try {
                    body.close();
                } catch (IOException ignored) {
                    // the reader sees the close
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }

        public void touch() {
            last.set(System.nanoTime());
        }

        /** Whether the watch aborted the stream for silence. */
        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            task.cancel(false);
            synchronized (this) {
                active = false;
            }
            if (fired) Thread.interrupted();
        }
    }
}
