package io.keel.server;

import java.time.Duration;

/**
 * How a graceful shutdown went ({@link KeelServer#shutdown(Duration)}).
 *
 * @param drained   every request in flight when the drain began finished within the grace period
 * @param abandoned requests still running when the grace period ended; their connections were closed
 * @param took      from the start of the drain until Keel was closed (index and stream offsets committed)
 */
public record ShutdownOutcome(boolean drained, int abandoned, Duration took) {
    @Override
    public String toString() {
        return (drained
                ? "every in-flight request finished"
                : abandoned + " request(s) still running at the end of the grace period were cut off")
                + "; index and offsets committed in " + took.toMillis() + " ms";
    }
}
