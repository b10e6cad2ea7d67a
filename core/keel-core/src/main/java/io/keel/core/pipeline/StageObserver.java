package io.keel.core.pipeline;

/** Watches stages run, e.g. to open one trace span per stage. Implementations are thread-safe. */
public interface StageObserver {
    /** A stage is about to run; the returned scope is ended exactly once when it returns or throws. */
    Scope start(Stage<?, ?> stage, RouteRequest<?> request);

    interface Scope {
        /** @param error what the stage threw, or null */
        void end(Throwable error);
    }

    StageObserver NONE = (stage, request) -> error -> { };
}
