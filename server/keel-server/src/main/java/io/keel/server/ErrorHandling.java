package io.keel.server;

import io.helidon.webserver.http.HttpRouting;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns exceptions into responses: a {@link KeelException} becomes its status and message,
 * anything else a 500 with a reference id. Stack traces go to the server log, never to the client.
 */
final class ErrorHandling {
    private static final Logger LOG = Logger.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.error(KeelException.class, (req, res, e) -> {
            if (e.code().httpStatus() >= 500) LOG.log(Level.WARNING, req.prologue().uriPath().path() + ": " + e.getMessage(), e);
            if (!res.isSent()) Http.sendError(res, e.code(), e.getMessage());
        });
        routing.error(Throwable.class, (req, res, e) -> {
            if (e instanceof UncheckedIOException && e.getCause() != null && isClientGone(e)) return;
            String ref = Long.toHexString(System.nanoTime());
            LOG.log(Level.SEVERE, "unhandled error [" + ref + "] on " + req.prologue().method() + " " + req.prologue().uriPath().path(), e);
            if (!res.isSent()) {
                Http.sendError(res, ErrorCode.INTERNAL, "internal error (reference " + ref + "); the server log has the details");
            }
        });
    }

    private static boolean isClientGone(Throwable e) {
        String m = String.valueOf(e.getCause().getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("broken pipe") || m.contains("connection reset");
    }
}
