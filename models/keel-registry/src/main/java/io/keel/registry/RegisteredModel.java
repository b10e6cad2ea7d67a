package io.keel.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A model name with all its versions (oldest first), so a listing shows who holds which stage in one read. */
public record RegisteredModel(String name, List<ModelVersion> versions) {
    public RegisteredModel {
        versions = versions.stream().sorted(Comparator.comparingInt(ModelVersion::version)).toList();
    }

    /** The version in {@code stage}; for development or archived, the newest one in it. */
    public Optional<ModelVersion> holder(Stage stage) {
        return versions.reversed().stream().filter(v -> v.stage() == stage).findFirst();
    }

    /** The newest version. */
    public ModelVersion latest() {
        return versions.getLast();
    }

    /** See {@link ModelRegistry#resolve(String)}. */
    public Optional<ModelVersion> resolved() {
        Optional<ModelVersion> production = holder(Stage.PRODUCTION);
        if (production.isPresent()) return production;
        return versions.reversed().stream().filter(v -> v.stage() != Stage.ARCHIVED).findFirst();
    }
}
