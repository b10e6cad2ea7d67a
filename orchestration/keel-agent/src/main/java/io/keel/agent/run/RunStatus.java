package io.keel.agent.run;

import java.util.Locale;

/** Where a run stands. */
public enum RunStatus {
    /** Steps are being taken (or the process stopped while they were: then it can be resumed). */
    RUNNING,
    /** The model gave its final answer. */
    COMPLETED,
    /** A limit ended the run; its stop reason says which. */
    STOPPED,
    /** The model call failed; the run can be resumed from its last completed step. */
    INTERRUPTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Whether {@code POST /v1/agents/runs/{id}/resume} may continue it. */
    public boolean resumable() {
        return this == RUNNING || this == INTERRUPTED;
    }
}
