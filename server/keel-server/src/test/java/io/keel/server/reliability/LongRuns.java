package io.keel.server.reliability;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips what it is added to unless {@code -Dkeel.reliability.long=true}: the longer reliability runs stay out of the
 * CI build's time budget and run on demand.
 */
public final class LongRuns implements SkipExecutionHook {
    /** The system property that turns the long runs on. */
    public static final String PROPERTY = "keel.reliability.long";

    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        return enabled() ? SkipResult.doNotSkip() : SkipResult.skip("long reliability runs need -D" + PROPERTY + "=true");
    }
}
