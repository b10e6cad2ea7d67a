package io.keel.core.pipeline;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Timings;

import java.time.Instant;

/**
 * What every route's request carries through its pipeline: identity of the request and the caller, the per-request
 * timing recorder and the {@link Trail}, plus the one text the input guard inspects. Implementations are immutable
 * records (but for the recorder and the trail) and {@code with*} methods return copies.
 *
 * @param <Q> the implementing type
 */
public interface RouteRequest<Q extends RouteRequest<Q>> {
    /** Unique per request; the request-log key. */
    String id();

    /** The HTTP route (or CLI command) the request came in through, for the log, metrics and traces. */
    String route();

    Instant received();

    /** Who asked: tenant, user, app, feature. Never null. */
    Caller caller();

    Timings.Recorder timings();

    Trail trail();

    /** The text the input guard inspects (a question, the last user message), or null when there is none. */
    String guardedText();

    /** A copy whose guarded text is {@code text}: the guard's redaction. */
    Q withGuardedText(String text);

    /**
     * A fresh copy of this request under another id, as it was received: new timings and trail, never streamed. A
     * shadow arm of an experiment runs on such a copy (see {@link ShadowStage}).
     */
    Q copyAs(String newId);
}
