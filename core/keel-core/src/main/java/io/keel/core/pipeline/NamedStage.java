package io.keel.core.pipeline;

import java.util.Objects;

/** A stage with a fixed name and timing key, which is what most stages are; subclasses write only {@link #handle}. */
public abstract class NamedStage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> implements Stage<Q, A> {
    private final String name;
    private final String timingKey;

    protected NamedStage(String name, String timingKey) {
        this.name = Objects.requireNonNull(name, "name");
        this.timingKey = Objects.requireNonNull(timingKey, "timingKey");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String timingKey() {
        return timingKey;
    }

    @Override
    public String toString() {
        return "stage " + name;
    }
}
