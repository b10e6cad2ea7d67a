package io.keel.core.pipeline;

/**
 * One step of a route's pipeline, shaped like an HTTP interceptor: it may rewrite the request and
 * {@link Chain#proceed proceed}, answer on its own without proceeding (a guard refusal), or post-process the response
 * that comes back. The pipeline times each stage's own work (excluding the stages after it) and books it under
 * {@link #timingKey()}. Stages shared by several routes are generic in the request and response types.
 *
 * @param <Q> the route's request type
 * @param <A> the route's response type
 */
public interface Stage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> {
    /** Short name used in errors and traces. */
    String name();

    /** The {@link io.keel.core.answer.Timings} key this stage's own time is added to. */
    String timingKey();

    /** Never returns null. */
    A handle(Q request, Chain<Q, A> chain);

    /** The rest of the pipeline, as seen from one stage. */
    interface Chain<Q extends RouteRequest<Q>, A extends RouteResponse<A>> {
        Q request();

        /** Runs the following stages on {@code request} and returns their response. */
        A proceed(Q request);
    }
}
