package io.keel.guard;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;

import java.util.List;

/**
 * One check a {@link PolicyGuard} runs over a text: PII, injection, exfiltration, a denied topic.
 *
 * <p>Implementations are thread-safe, never return null and never modify the text. A detector that throws is
 * treated by {@link PolicyGuard} according to the policy's fail mode (closed by default: the text is blocked).
 */
public interface Detector {
    /** Short stable name, recorded in every {@link Finding} this detector makes and in block reasons. */
    String name();

    /** Findings in {@code text}, in no particular order; empty when there are none. */
    List<Finding> detect(String text, Direction direction);
}
