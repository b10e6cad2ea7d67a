package io.keel.cli;

import io.keel.app.config.KeelConfig;
import io.keel.server.KeelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTP API until stopped: SIGTERM or Ctrl-C drains in-flight requests (server.shutdown_grace), commits and exits; a second one stops at once.")
final class ServeCommand implements Callable<Integer> {
    /** What the deadline allows, past the grace period, for the index and stream offsets to commit. */
    static final java.time.Duration COMMIT_TIME = java.time.Duration.ofSeconds(60);

    @Mixin
    CommonOptions common;

    @Option(names = "--port", paramLabel = "N", description = "port to listen on (default: server.port, 8080; 0 picks a free one)")
    Integer port;

    @Override
    public Integer call() throws Exception {
        KeelConfig config = common.load();
        if (port != null) config = config.withServer(config.server().withPort(port));
        return serve(config);
    }

    static int serve(KeelConfig config) throws InterruptedException {
        System.err.printf("keel: loading the model and index from %s ...%n", config.dataDir().toAbsolutePath());
        KeelServer server = KeelServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM / Ctrl-C: drain within server.shutdown_grace, commit, exit; a second signal or the deadline halts.
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        ShutdownSignals.install(server::beginDrain, () -> {
            try {
                System.err.println("keel: stopped: " + server.shutdown());
            } catch (RuntimeException e) {
                failed.set(true);
                System.err.println("keel: stopping failed: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, config.server().shutdownGrace().plus(COMMIT_TIME));
        // Any other way out of the JVM still closes Keel (a no-op after a graceful shutdown).
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keel-close"));
        System.err.printf("keel: ready on http://%s:%d. Try: curl -s localhost:%d/v1/query -d '{\"question\":\"...\"}'%n",
                server.host(), server.port(), server.port());
        System.err.println(server.authenticationEnabled()
                ? "keel: authentication on: send Authorization: Bearer <API key> (keel keys create)"
                : "keel: open mode (no API keys): listening on " + server.host() + " only; see docs/security.md to serve other machines");
        stopped.await();
        return failed.get() ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
