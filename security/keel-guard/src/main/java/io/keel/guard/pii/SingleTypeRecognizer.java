package io.keel.guard.pii;

import java.util.Objects;
import java.util.Set;

/** A recognizer of one entity type, under a fixed name and with fixed context words. */
public abstract class SingleTypeRecognizer implements PiiRecognizer {
    private final String name;
    private final Set<String> entityTypes;
    private final ContextWords context;

    protected SingleTypeRecognizer(String name, String entityType, ContextWords context) {
        this.name = Objects.requireNonNull(name, "name");
        this.entityTypes = Set.of(entityType);
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> entityTypes() {
        return entityTypes;
    }

    @Override
    public final ContextWords context() {
        return context;
    }
}
