package io.keel.server;

import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.keel.app.Keel;
import io.keel.http.RequestBody;

import java.util.Set;

/**
 * Routes that answer from a {@link Keel} instance and take a JSON object body, read within
 * {@code server.max_request_bytes} and checked against the fields the route knows.
 */
abstract class BodyService implements HttpService {
    final Keel keel;
    private final long maxBodyBytes;

    BodyService(Keel keel, long maxBodyBytes) {
        this.keel = keel;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The request's JSON object; a field outside {@code allowed}, a malformed or a too large body is refused. */
    RequestFields fields(ServerRequest req, Set<String> allowed) {
        return new RequestFields(RequestBody.readObject(req, maxBodyBytes, "server.max_request_bytes"), allowed);
    }
}
