package io.keel.core.concurrent;

import java.time.Duration;
import java.util.function.Consumer;

/** The loop of a background housekeeping thread: run a task at an interval until the thread is interrupted. */
public final class Repeat {
    private Repeat() {
    }

    /**
     * Sleeps {@code interval}, runs {@code task}, and again, until the calling thread is interrupted. A task that throws
     * is reported to {@code onFailure} and tried again next time: housekeeping must not die of one bad round.
     */
    public static void every(Duration interval, Runnable task, Consumer<RuntimeException> onFailure) {
        while (true) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        }
    }
}
