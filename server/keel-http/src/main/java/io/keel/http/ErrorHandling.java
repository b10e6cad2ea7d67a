package io.keel.http;

import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns exceptions into responses: a {@link KeelException} becomes its status and message, a request the web server
 * finds malformed while a route reads it (Helidon's {@link BadRequestException}, e.g. an unparsable header) a 400,
 * anything else a 500 with a
 * reference id. Stack traces go to the server log, never to the client. A {@link MalformedBodyException} is answered with
 * {@code Connection: close} and the connection then closed.
 */
public final class ErrorHandling {
    private static final Logger LOG = Logger.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    /**
     * Registers the error handlers of a whole server.
     *
     * @param envelopeFor the error envelope of the route a request path belongs to
     */
    public static void register(HttpRouting.Builder routing, Function<String, ErrorEnvelope> envelopeFor) {
        routing.error(KeelException.class, (req, res, e) -> keel(req, res, e, envelopeFor.apply(req.path().path())));
        routing.error(Throwable.class, (req, res, e) -> {
            if (e instanceof UncheckedIOException && e.getCause() != null && isClientGone(e)) return;
            if (e instanceof BadRequestException bad) {
                keel(req, res, KeelException.invalid("the request is malformed: " + bad.getMessage()), envelopeFor.apply(req.path().path()));
                return;
            }
            unexpected(req, res, e, envelopeFor.apply(req.path().path()));
        });
    }

    /** {@code handler} answering its own errors, so a service behaves the same on any server. */
    public static Handler guarded(Handler handler, ErrorEnvelope envelope) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (KeelException e) {
                keel(req, res, e, envelope);
            } catch (BadRequestException e) {
                keel(req, res, KeelException.invalid("the request is malformed: " + e.getMessage()), envelope);
            } catch (RuntimeException e) {
                if (e instanceof UncheckedIOException && e.getCause() != null && isClientGone(e)) return;
                unexpected(req, res, e, envelope);
            }
        };
    }

    private static void keel(ServerRequest req, ServerResponse res, KeelException e, ErrorEnvelope envelope) {
        if (e.code().httpStatus() >= 500) LOG.log(Level.WARNING, req.prologue().uriPath().path() + ": " + e.getMessage(), e);
        boolean close = e instanceof MalformedBodyException;
        if (!res.isSent()) {
            if (close) res.header(HeaderNames.CONNECTION, "close");
            HttpJson.sendError(res, envelope, e);
        }
        // the rest of the body cannot be told from a next request: end the connection instead of reading it as one
        if (close) throw new CloseConnectionException("the request body was malformed", e);
    }

    /**
     * Answers {@code error} with {@code send} (a route's own error body); when the error left the body unreadable
     * ({@link MalformedBodyException}) the answer says {@code Connection: close} and the connection then ends.
     */
    public static void answer(ServerResponse res, KeelException error, Runnable send) {
        boolean close = error instanceof MalformedBodyException;
        if (close) res.header(HeaderNames.CONNECTION, "close");
        send.run();
        if (close) throw new CloseConnectionException("the request body was malformed", error);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Throwable e, ErrorEnvelope envelope) {
        String ref = Long.toHexString(System.nanoTime());
        LOG.log(Level.SEVERE, "unhandled error [" + ref + "] on " + req.prologue().method() + " " + req.prologue().uriPath().path(), e);
        if (!res.isSent()) {
            HttpJson.sendError(res, envelope, ErrorCode.INTERNAL, "internal error (reference " + ref + "); the server log has the details");
        }
    }

    private static boolean isClientGone(Throwable e) {
        String m = String.valueOf(e.getCause().getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("broken pipe") || m.contains("connection reset");
    }
}
