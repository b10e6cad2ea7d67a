package io.keel.cli;

import io.keel.app.config.KeelConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command that touches a Keel instance takes. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "keel.yaml to read (default: ./keel.yaml when present, else built-in defaults)")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: data_dir from the config, ./keel-data)")
    Path data;

    KeelConfig load() {
        KeelConfig c = KeelConfig.load(config);
        return data == null ? c : c.withDataDir(data);
    }
}
