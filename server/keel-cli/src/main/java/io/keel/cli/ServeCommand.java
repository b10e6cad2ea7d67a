package io.keel.cli;

import io.keel.app.config.KeelConfig;
import io.keel.server.KeelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTP API until stopped (Ctrl-C or SIGTERM).")
final class ServeCommand implements Callable<Integer> {
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "keel-shutdown"));
        System.err.printf("keel: ready on http://%s:%d. Try: curl -s localhost:%d/v1/query -d '{\"question\":\"...\"}'%n",
                server.host(), server.port(), server.port());
        System.err.println(server.authenticationEnabled()
                ? "keel: authentication on: send Authorization: Bearer <API key> (keel keys create)"
                : "keel: open mode (no API keys): listening on " + server.host() + " only; see docs/security.md to serve other machines");
        stopped.await();
        return ExitCodes.OK;
    }
}
