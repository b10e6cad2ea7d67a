package io.keel.core.pipeline;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatResponse;
import io.keel.core.spi.RequestRecord;

/**
 * What every route's pipeline returns: enough for the shared stages (guards, lineage stamping, recording) to work on it
 * without knowing the route. A response is either whole, or a {@link #stream() stream} that the route handler starts
 * after the pipeline returned; stages that need to see a streamed response decorate its stream.
 *
 * @param <A> the implementing type
 */
public interface RouteResponse<A extends RouteResponse<A>> {
    /** What produced the response; null until a stage stamped it. */
    Lineage lineage();

    A withLineage(Lineage lineage);

    A withTimings(Timings timings);

    Usage usage();

    /** {@code ok}, or {@code blocked} when a guard answered instead of the route. */
    String status();

    /** The text the output guard inspects, or null when the response has none (search hits, vectors, a stream). */
    String guardedText();

    /**
     * A copy whose text is the output guard's rewrite.
     *
     * @param blocked the guard replaced the text with a refusal
     */
    A withGuardedText(String text, boolean blocked);

    /** Adds this response's own fields (answer, citations, context, quality) to its request-log record. */
    void describe(RequestRecord.Builder record);

    /** The stream to deliver, or null for a whole response. */
    default ResponseStream stream() {
        return null;
    }

    /** A copy delivering {@code stream} instead; only streamed responses support it. */
    default A withStream(ResponseStream stream) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not streamed");
    }

    /**
     * The response as finally delivered once its stream ended: {@code finished} is the provider's whole response,
     * {@code delivered} the text the client received.
     */
    default A streamed(ChatResponse finished, String delivered) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not streamed");
    }

    /** The lineage to stamp on: this response's, or an empty one. */
    default Lineage lineageOrEmpty() {
        return lineage() == null ? Lineage.EMPTY : lineage();
    }
}
