package io.keel.core.pipeline;

import io.keel.core.chat.StreamListener;

import java.util.function.UnaryOperator;

/**
 * A response that is delivered as it is produced. The route handler {@link #start starts} it once the pipeline
 * returned; stages that act on streamed output (budget settlement, the output guard, the request log) wrap the listener
 * with {@link #through}. The listener gets exactly one terminal callback.
 */
@FunctionalInterface
public interface ResponseStream {
    /** Produces the stream into {@code listener}, blocking until it ended. */
    void start(StreamListener listener);

    /** This stream, seen through a listener that {@code decorator} wraps around the eventual one. */
    default ResponseStream through(UnaryOperator<StreamListener> decorator) {
        return listener -> start(decorator.apply(listener));
    }
}
