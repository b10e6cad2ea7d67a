package io.keel.experiments;

import io.keel.core.config.ConfigNode;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code experiments} section of keel.yaml.
 *
 * @param dir the folder of experiment definition files; null (the default): only experiments managed through the
 *            store ({@code keel experiments create}) run
 */
public record ExperimentsConfig(Path dir) {
    /** Reads {@code experiments.dir} (no default). */
    public static ExperimentsConfig from(ConfigNode node) {
        String dir = node.string("dir", null);
        return new ExperimentsConfig(dir == null ? null : Path.of(dir));
    }

    /**
     * The experiments of the folder, loaded and checked now; none without a folder.
     *
     * @throws io.keel.core.error.KeelException naming the file and field of the first invalid definition
     */
    public List<Experiment> files() {
        return dir == null ? List.of() : ExperimentFiles.loadDirectory(dir).experiments();
    }
}
