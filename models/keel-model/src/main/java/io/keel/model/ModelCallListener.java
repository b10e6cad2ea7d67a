package io.keel.model;

/**
 * Observes every call through the {@link ModelGateway}, succeeded or failed, once its outcome is known: on the calling
 * thread, just before {@code chat} returns or throws, or before the stream's terminal callback. Implementations must be
 * thread-safe and should be quick; an exception they throw is ignored.
 */
@FunctionalInterface
public interface ModelCallListener {
    void onCall(ModelCall call);

    ModelCallListener NONE = call -> { };
}
