package io.keel.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.app.config.ServerConfig;
import io.keel.core.error.ErrorCode;
import io.keel.openai.api.OpenAiApiService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keel's HTTP server (Helidon SE 4: one virtual thread per request, no reactive code to reason about). The socket
 * opens at once so liveness probes pass; the model and index load in the background and {@code /health/ready}
 * turns 200 when they have.
 */
public final class KeelServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KeelServer.class.getName());

    /** What the server can serve right now. */
    public record State(Keel keel, String failure) {
        static final State STARTING = new State(null, null);

        public boolean ready() {
            return keel != null;
        }
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final CountDownLatch settled = new CountDownLatch(1);
    private final WebServer server;

    private KeelServer(ServerConfig config) {
        this.server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(config.maxRequestBytes() * 2) // our own limit answers first, with a JSON 413
                .connectionOptions(o -> o.tcpNoDelay(true))   // streamed tokens leave at once, not after Nagle's delay
                .shutdownHook(false)
                .routing(r -> routing(r, state::get, config))
                .build();
    }

    /** Opens the socket, then loads Keel from {@code config} in the background. */
    public static KeelServer start(KeelConfig config) {
        KeelServer s = new KeelServer(config.server());
        s.server.start();
        Thread.ofPlatform().name("keel-loader").start(() -> {
            try {
                Keel keel = Keel.open(config);
                try {
                    keel.warmUp();
                } catch (RuntimeException e) {
                    keel.close();
                    throw e;
                }
                s.settle(new State(keel, null));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Keel failed to start", e);
                s.settle(new State(null, e.getMessage()));
            }
        });
        return s;
    }

    /** Serves an already opened Keel (tests, embedding Keel in another application). */
    public static KeelServer start(Keel keel, ServerConfig config) {
        KeelServer s = new KeelServer(config);
        s.settle(new State(keel, null));
        s.server.start();
        return s;
    }

    private void settle(State s) {
        state.set(s);
        settled.countDown();
    }

    /** Every route of the API. Tests use this with their own server. */
    public static void routing(HttpRouting.Builder routing, Supplier<State> state, ServerConfig config) {
        Supplier<Keel> keel = HealthService.readyKeel(state);
        List<HttpService> services = new ArrayList<>(List.of(
                new HealthService(state),
                new QueryService(keel, config.maxRequestBytes()),
                new GuardService(keel, config.maxRequestBytes()),
                OpenAiApiService.builder().parts(() -> {
                    Keel k = keel.get();
                    return new OpenAiApiService.Parts(k.gateway().orElse(null), k.embedder(), new CollectionRagModels(keel), k.requestLog());
                }).build()));
        services.forEach(routing::register);
        ErrorHandling.register(routing);
        routing.any("/v1/query", (req, res) -> methodNotAllowed(res, "POST"))
                .any("/v1/retrieve", (req, res) -> methodNotAllowed(res, "POST"))
                .any("/v1/guard/scan", (req, res) -> methodNotAllowed(res, "POST"))
                .any((req, res) -> Http.sendError(res, ErrorCode.NOT_FOUND,
                        "no route for " + req.prologue().method().text() + " " + req.path().path()
                                + "; see docs/api.md for the endpoints"));
    }

    private static void methodNotAllowed(io.helidon.webserver.http.ServerResponse res, String allowed) {
        res.header("Allow", allowed);
        Http.sendError(res, ErrorCode.METHOD_NOT_ALLOWED, "this endpoint accepts " + allowed + " only");
    }

    public int port() {
        return server.port();
    }

    public State state() {
        return state.get();
    }

    /** Waits until the background load finished (successfully or not); true when Keel is ready. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return state.get().ready();
    }

    @Override
    public void close() {
        server.stop();
        Keel keel = state.get().keel();
        if (keel != null) keel.close();
    }
}
