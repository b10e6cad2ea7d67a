package io.keel.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code keel serve} in a child JVM on the test's class path: the real process a deployment runs, with its own
 * memory, caches and threads. Started on a free port, which it reports on its standard error; {@link #kill()} ends it
 * as {@code kill -9} would, {@link #close()} as SIGTERM does.
 */
final class KeelProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("keel: ready on http://[^:]+:(\\d+)");

    private final String name;
    private final Process process;
    private final int port;
    private final List<String> log = new ArrayList<>();

    private KeelProcess(String name, Process process, Duration startup) throws IOException {
        this.name = name;
        this.process = process;
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("keel-process-" + name).start(() -> pump(ready));
        try {
            this.port = ready.get(startup.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException | InterruptedException e) {
            process.destroyForcibly();
            throw new IOException("keel serve (" + name + ") did not become ready within " + startup + "; its output:\n"
                    + output(), e);
        }
    }

    /** Starts {@code keel serve --config config --data data --port 0} and waits until it listens. */
    static KeelProcess serve(String name, Path config, Path data) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-XX:+IgnoreUnrecognizedVMOptions", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                KeelCli.class.getName(), "serve", "--config", config.toString(), "--data", data.toString(), "--port", "0");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new KeelProcess(name, p, Duration.ofMinutes(2));
    }

    private void pump(CompletableFuture<Integer> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (log) {
                    log.add(line);
                }
                Matcher m = READY.matcher(line);
                if (m.find()) ready.complete(Integer.parseInt(m.group(1)));
            }
        } catch (IOException e) {
            // the process ended
        }
        ready.completeExceptionally(new IOException("the process ended"));
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    /** What the process wrote so far (standard output and error). */
    String output() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** Ends the process at once, without shutdown hooks: a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
