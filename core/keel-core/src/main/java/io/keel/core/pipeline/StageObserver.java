package io.keel.core.pipeline;

/**
 * Watches stages start and end, e.g. to open a tracing span per stage. Called on the request's thread, around the
 * stage's own work and everything it proceeds to.
 */
public interface StageObserver {
    /** A stage is about to run; the returned scope is ended exactly once when it returns or throws. */
    Scope start(Stage stage, QueryRequest request);

    interface Scope {
        /** @param error what the stage threw, or null */
        void end(Throwable error);
    }

    StageObserver NONE = (stage, request) -> error -> { };
}
