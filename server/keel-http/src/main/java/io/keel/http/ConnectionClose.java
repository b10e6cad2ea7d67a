package io.keel.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;

/**
 * Honours {@code Connection: close}: once the response to a request that asked for it (or a response that announced
 * it) is sent, the server closes the socket instead of waiting for the client to.
 */
public final class ConnectionClose {
    private ConnectionClose() {
    }

    /** The filter; register it first so it sees every response. */
    public static Filter filter() {
        return (chain, req, res) -> {
            chain.proceed();
            boolean asked = req.headers().contains(HeaderValues.CONNECTION_CLOSE)
                    || res.headers().contains(HeaderNames.CONNECTION)
                    && res.headers().get(HeaderNames.CONNECTION).get().equalsIgnoreCase("close");
            if (asked && res.isSent()) throw new CloseConnectionException("the client asked for Connection: close");
        };
    }
}
