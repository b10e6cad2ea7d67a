package io.keel.experiments;

import io.keel.core.concurrent.Repeat;
import io.keel.core.pipeline.RouteRequest;
import io.keel.core.pipeline.Variant;
import io.keel.core.pipeline.VariantResolver;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The experiments an instance runs: those of the files in {@code experiments.dir} (read at startup) and those
 * started in the {@link ExperimentStore} (re-read when {@link #refresh()} sees a change, so {@code keel experiments
 * start} and {@code stop} take effect on every instance within one poll). Assignment stays stateless: each refresh
 * builds a new {@link ExperimentResolver} and swaps it in. A stored set that no longer checks out (two running
 * experiments varying one setting in different layers, a model no longer configured) is refused with a warning and the
 * last good set keeps running. Thread-safe.
 */
public final class LiveExperiments implements VariantResolver, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveExperiments.class.getName());

    private final List<Experiment> files;
    private final ExperimentStore store;
    private final Clock clock;
    private final Consumer<ExperimentSet> check;
    private final Function<RouteRequest<?>, String> apiKey;
    private volatile ExperimentResolver current;
    private volatile String mark;
    private volatile Thread poller;

    /**
     * Loads the files' and the store's running experiments now.
     *
     * @param files  the experiments of {@code experiments.dir} (empty without one)
     * @param store  the shared store, or null when experiments are files only
     * @param check  extra checks of a set before it runs (the models and prompt versions its variants name exist)
     * @param apiKey the API key a request authenticated with, or null; for experiments with unit {@code api_key}
     * @throws io.keel.core.error.KeelException when the initial set is invalid
     */
    public LiveExperiments(List<Experiment> files, ExperimentStore store, Clock clock, Consumer<ExperimentSet> check,
                           Function<RouteRequest<?>, String> apiKey) {
        this.files = List.copyOf(files);
        this.store = store;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.check = Objects.requireNonNull(check, "check");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        String m = store == null ? "" : store.changeMark();
        this.current = build(store == null ? List.of() : store.running());
        this.mark = m;
    }

    private ExperimentResolver build(List<Experiment> stored) {
        List<Experiment> all = new ArrayList<>(files);
        all.addAll(stored);
        ExperimentSet set = new ExperimentSet(all);
        check.accept(set);
        return new ExperimentResolver(set, clock, apiKey);
    }

    @Override
    public Variant resolve(RouteRequest<?> request) {
        return current.resolve(request);
    }

    /** Re-reads the store when it changed since the last look; returns whether the running set changed. */
    public boolean refresh() {
        if (store == null) return false;
        String m = store.changeMark();
        if (m.equals(mark)) return false;
        try {
            current = build(store.running());
            LOG.info("experiments now running: " + names());
        } catch (RuntimeException e) {
            LOG.warning("the stored experiments were changed but cannot run together; still running " + names() + ": " + e.getMessage());
        }
        mark = m;
        return true;
    }

    /** The names of the experiments running now. */
    public List<String> names() {
        return current.experiments().stream().map(Experiment::name).toList();
    }

    /** Every experiment that runs now (files and store). */
    public List<Experiment> running() {
        return current.experiments();
    }

    /** The names of the experiments defined by files. */
    public Set<String> fileNames() {
        return files.stream().map(Experiment::name).collect(Collectors.toUnmodifiableSet());
    }

    /** An experiment by name, running or not: a file's, else a stored one's (for reports). */
    public Optional<Experiment> find(String name) {
        for (Experiment e : files) if (e.name().equals(name)) return Optional.of(e);
        return store == null ? Optional.empty() : store.find(name).map(ExperimentStore.Stored::experiment);
    }

    /** Starts polling the store every {@code interval} on a daemon thread, until {@link #close()}. */
    public synchronized void watch(Duration interval) {
        if (store == null || poller != null) return;
        poller = Thread.ofPlatform().daemon().name("keel-experiments-watcher").start(() -> Repeat.every(interval, this::refresh,
                e -> LOG.log(Level.WARNING, "polling the experiment store failed; retrying: " + e.getMessage(), e)));
    }

    @Override
    public synchronized void close() {
        Thread t = poller;
        poller = null;
        if (t == null) return;
        t.interrupt();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
