package io.keel.experiments;

import io.keel.core.pipeline.RouteRequest;

import java.util.Locale;
import java.util.function.Function;

/**
 * What an experiment randomises over: every request of the same unit value gets the same variant. A request without a
 * value for the experiment's unit (no user named, no API key) is not enrolled in that experiment.
 */
public enum Unit {
    /** The API key the request authenticated with, as given by the resolver's key function. */
    API_KEY,
    /** The caller's tenant ({@code default} when none is named). */
    TENANT,
    /** The end user ({@code X-Keel-User}). */
    USER,
    /** Each request on its own: no stickiness, the most data per unit of time. */
    REQUEST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The unit's value for {@code request}, or null when the request has none. */
    String valueOf(RouteRequest<?> request, Function<RouteRequest<?>, String> apiKey) {
        return switch (this) {
            case API_KEY -> apiKey.apply(request);
            case TENANT -> request.caller().tenant();
            case USER -> request.caller().user();
            case REQUEST -> request.id();
        };
    }
}
