package io.keel.experiments;

import io.keel.core.config.ConfigNode;
import io.keel.core.pipeline.VariantResolver;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The {@code experiments} section of keel.yaml.
 *
 * @param dir the folder of experiment definition files; null (the default) runs no experiments
 */
public record ExperimentsConfig(Path dir) {
    /** Reads {@code experiments.dir} (no default). */
    public static ExperimentsConfig from(ConfigNode node) {
        String dir = node.string("dir", null);
        return new ExperimentsConfig(dir == null ? null : Path.of(dir));
    }

    /**
     * The resolver over the folder's experiments, loaded and checked now; {@link VariantResolver#NONE} without a
     * folder.
     *
     * @throws io.keel.core.error.KeelException naming the file and field of the first invalid definition
     */
    public VariantResolver resolver(Clock clock) {
        return resolver(clock, set -> { });
    }

    /**
     * {@link #resolver(Clock)}, after {@code check} accepted the loaded experiments (e.g. that the models and prompt
     * versions their variants name exist, see {@link ExperimentSet#checkValues}).
     */
    public VariantResolver resolver(Clock clock, Consumer<ExperimentSet> check) {
        if (dir == null) return VariantResolver.NONE;
        ExperimentSet set = ExperimentFiles.loadDirectory(dir);
        check.accept(set);
        return new ExperimentResolver(set, clock, request -> null);
    }
}
