package io.keel.test;

import java.util.Map;

/**
 * A request a fake server received.
 *
 * @param headers header names in lower case; a repeated header keeps its last value
 * @param json    the body parsed as a JSON object, or an empty map when it was not one
 */
public record RecordedRequest(String method, String target, Map<String, String> headers, String body,
                              Map<String, Object> json) {
    public RecordedRequest {
        headers = Map.copyOf(headers);
        json = json == null ? Map.of() : json;
    }

    /** The target without its query string. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** A query parameter's raw value, or null. */
    public String queryParam(String name) {
        int q = target.indexOf('?');
        if (q < 0) return null;
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) return pair.substring(eq + 1);
        }
        return null;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
