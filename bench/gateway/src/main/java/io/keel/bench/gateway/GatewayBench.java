package io.keel.bench.gateway;

import io.helidon.webserver.WebServer;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.openai.api.OpenAiApiService;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gateway overhead: the same requests sent directly to a fake OpenAI-compatible upstream and through Keel's
 * {@code /v1} API (Helidon, the model gateway with its replica pool, the OpenAI adapter) to that upstream. Reports
 * latency percentiles, the p50 difference, and throughput per path at each concurrency, as a Markdown table. The two
 * paths are measured in alternating half-second slices, so on a shared machine both see the same background load.
 *
 * <p>Usage: {@code GatewayBench [--seconds 5] [--warmup 2] [--settle 60] [--concurrency 1,50] [--scenarios chat,stream,embeddings]};
 * scenario {@code proxy} (not run by default) puts a bare Helidon route relaying the chat request's bytes with Keel's
 * upstream client in place of Keel: the cost of the extra hop alone, the floor under any gateway on this stack.
 * {@code -Dgateway.only=keel|direct} measures one path alone (for profilers). After the warm-up both paths keep
 * warming until the JIT has settled, for at most {@code --settle} seconds (0: not at all): on a slow 2-core machine C2
 * compiles for half a minute and takes a core from whatever is measured meanwhile.
 */
public final class GatewayBench {
    private static final String CONTENT = "Keel is a production framework for enterprise generative AI.";
    private static final Duration SLICE = Duration.ofMillis(500);
    /** The JIT counts as settled once it compiles for less than this share of a warm-up round's wall time. */
    private static final double SETTLED_JIT_SHARE = 0.02;
    private static final int QUIET_ROUNDS = 3;

    /**
     * One measured run. Latencies in nanoseconds; {@code cpuNanos} is the CPU time the whole process (load generator,
     * upstream and, on the Keel path, Keel) used during the run's slices.
     */
    public record Run(String scenario, String path, int concurrency, long requests, long errors, double seconds,
                      long p50, long p99, long cpuNanos) {
        public double throughput() {
            return requests / seconds;
        }

        /** Process CPU time per completed request, in microseconds. */
        public double cpuMicrosPerRequest() {
            return requests == 0 ? 0 : cpuNanos / 1e3 / requests;
        }
    }

    /** Direct and through-Keel runs of one scenario at one concurrency. */
    public record Comparison(Run direct, Run keel) {
        public double overheadP50Millis() {
            return (keel.p50() - direct.p50()) / 1e6;
        }

        public double throughputRatio() {
            return keel.throughput() / direct.throughput();
        }

        /** Keel's own CPU time per request: the Keel path's process CPU per request minus the direct path's. */
        public double keelCpuMicrosPerRequest() {
            return keel.cpuMicrosPerRequest() - direct.cpuMicrosPerRequest();
        }
    }

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Duration measure = Duration.ofMillis((long) (Double.parseDouble(opts.getOrDefault("seconds", "5")) * 1000));
        Duration warmup = Duration.ofMillis((long) (Double.parseDouble(opts.getOrDefault("warmup", "2")) * 1000));
        Duration settle = Duration.ofMillis((long) (Double.parseDouble(opts.getOrDefault("settle", "60")) * 1000));
        int[] concurrency = Arrays.stream(opts.getOrDefault("concurrency", "1,50").split(",")).mapToInt(Integer::parseInt).toArray();
        List<String> scenarios = List.of(opts.getOrDefault("scenarios", "chat,stream,embeddings").split(","));
        List<Comparison> results = run(scenarios, concurrency, warmup, settle, measure);
        System.out.println(table(results));
    }

    /** Starts the upstream and Keel, runs every scenario at every concurrency, and stops them again. */
    public static List<Comparison> run(List<String> scenarios, int[] concurrency, Duration warmup, Duration settle,
                                       Duration measure) throws Exception {
        try (FakeOpenAiServer upstream = new FakeOpenAiServer()) {
            upstream.recording(false).defaultReply(Reply.text(CONTENT).withUsage(24, 11)).embeddingDimensions(384);
            ModelGateway gateway = ModelGateway.fromConfig(List.of(
                    Map.of("name", "bench", "provider", "openai", "model", "fake-model",
                            "endpoints", List.of(upstream.baseUri() + "/v1"), "timeout", "30s",
                            "breaker", Map.of("failures", 1000), "price", Map.of("input_per_1m", 1, "output_per_1m", 2)),
                    Map.of("name", "bench-embed", "kind", "embedding", "provider", "openai", "model", "fake-embed",
                            "endpoints", List.of(upstream.baseUri() + "/v1"), "timeout", "30s")),
                    k -> null, ModelCallListener.NONE);
            OpenAiApiService service = OpenAiApiService.builder().gateway(gateway).build();
            // "proxy" scenario: the floor under any gateway on this stack, a bare Helidon route relaying the bytes with
            // Keel's upstream client (no parsing, no gateway)
            io.keel.provider.openai.internal.Http1Client relay = new io.keel.provider.openai.internal.Http1Client(Duration.ofSeconds(10));
            io.keel.provider.openai.internal.Http1Client.Target relayTarget = io.keel.provider.openai.internal.Http1Client.target(
                    "POST", URI.create(upstream.baseUri() + "/v1/chat/completions"),
                    Map.of("Content-Type", "application/json", "Accept", "application/json"));
            WebServer keel = WebServer.builder().port(0).connectionOptions(o -> o.tcpNoDelay(true))
                    .routing(r -> r.register(service).post("/proxy/chat/completions", (req, res) -> {
                        byte[] in = req.content().inputStream().readAllBytes();
                        try (var up = relay.send(relayTarget, in, Duration.ofSeconds(30))) {
                            byte[] out = up.bodyBytes();
                            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
                            res.send(out);
                        }
                    })).build().start();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            try {
                URI direct = URI.create(upstream.baseUri() + "/v1");
                URI viaKeel = URI.create("http://127.0.0.1:" + keel.port() + "/v1");
                List<Comparison> out = new ArrayList<>();
                for (String scenario : scenarios) {
                    for (int c : concurrency) {
                        HttpRequest d = request(scenario, direct, "fake-model", "fake-embed");
                        HttpRequest k = scenario.equals("proxy")
                                ? request(scenario, URI.create("http://127.0.0.1:" + keel.port() + "/proxy"), "fake-model", "fake-embed")
                                : request(scenario, viaKeel, "bench", "bench-embed");
                        String only = System.getProperty("gateway.only", ""); // diagnostics: profile one path alone
                        if (!only.equals("keel")) slice(client, scenario, d, c, warmup);
                        if (!only.equals("direct")) slice(client, scenario, k, c, warmup);
                        settle(client, scenario, only.equals("keel") ? null : d, only.equals("direct") ? null : k, c, settle);
                        // Alternate short slices so both paths see the same background load on a shared machine.
                        int rounds = Math.max(1, (int) (measure.toMillis() / SLICE.toMillis()));
                        List<Slice> ds = new ArrayList<>();
                        List<Slice> ks = new ArrayList<>();
                        for (int i = 0; i < rounds; i++) {
                            if (!only.equals("keel")) ds.add(slice(client, scenario, d, c, SLICE.compareTo(measure) < 0 ? SLICE : measure));
                            if (!only.equals("direct")) ks.add(slice(client, scenario, k, c, SLICE.compareTo(measure) < 0 ? SLICE : measure));
                        }
                        if (ds.isEmpty()) ds.add(new Slice(new long[0], 0, 1, 0));
                        if (ks.isEmpty()) ks.add(new Slice(new long[0], 0, 1, 0));
                        out.add(new Comparison(Slice.merge(scenario, "direct", c, ds), Slice.merge(scenario, "keel", c, ks)));
                    }
                }
                return out;
            } finally {
                client.close();
                keel.stop();
                gateway.close();
            }
        }
    }

    /**
     * Keeps both paths busy in rounds of a second per path until {@value #QUIET_ROUNDS} rounds in a row find the JIT
     * compiling less than {@link #SETTLED_JIT_SHARE} of the time, or {@code max} has passed; prints how long it took.
     * One quiet round is not enough: a C2 compile takes a second or more on a slow machine and counts when it ends.
     */
    private static void settle(HttpClient client, String scenario, HttpRequest direct, HttpRequest keel, int concurrency,
                               Duration max) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (max.isZero() || jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        Duration round = Duration.ofSeconds(1);
        long start = System.nanoTime();
        int quietRounds = 0;
        double share = 1;
        while (quietRounds < QUIET_ROUNDS && System.nanoTime() - start < max.toNanos()) {
            long compiledBefore = jit.getTotalCompilationTime();
            long roundStart = System.nanoTime();
            if (direct != null) slice(client, scenario, direct, concurrency, round);
            if (keel != null) slice(client, scenario, keel, concurrency, round);
            share = (jit.getTotalCompilationTime() - compiledBefore) * 1e6 / (System.nanoTime() - roundStart);
            quietRounds = share < SETTLED_JIT_SHARE ? quietRounds + 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%s at %d: JIT %s after %.0f s more warm-up (compiling %.1f %% of the last round)%n",
                scenario, concurrency, quietRounds >= QUIET_ROUNDS ? "settled" : "still busy",
                (System.nanoTime() - start) / 1e9, share * 100);
    }

    /** Latencies of one timed slice. */
    private record Slice(long[] latencies, long errors, double seconds, long cpuNanos) {
        static Run merge(String scenario, String path, int concurrency, List<Slice> slices) {
            int total = 0;
            long errors = 0;
            double seconds = 0;
            long cpu = 0;
            for (Slice s : slices) {
                total += s.latencies.length;
                errors += s.errors;
                seconds += s.seconds;
                cpu += s.cpuNanos;
            }
            long[] all = new long[total];
            int at = 0;
            for (Slice s : slices) {
                System.arraycopy(s.latencies, 0, all, at, s.latencies.length);
                at += s.latencies.length;
            }
            Arrays.sort(all);
            return new Run(scenario, path, concurrency, total, errors, seconds, percentile(all, 0.50), percentile(all, 0.99), cpu);
        }
    }

    /** Runs {@code concurrency} closed-loop workers for {@code length}; requests in flight at the end are not counted. */
    private static Slice slice(HttpClient client, String scenario, HttpRequest request, int concurrency, Duration length)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong errors = new AtomicLong();
        long[][] perWorker = new long[concurrency][];
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        long cpuStart = processCpuNanos();
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                int id = w;
                workers.execute(() -> {
                    long[] buf = new long[1024];
                    int n = 0;
                    try {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            long t1 = System.nanoTime();
                            if (t1 > end) break;
                            boolean ok = r.statusCode() == 200 && (!scenario.equals("stream") || endsWithDone(r.body()));
                            if (!ok) {
                                errors.incrementAndGet();
                                continue;
                            }
                            if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
                            buf[n++] = t1 - t0;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    } finally {
                        perWorker[id] = buf;
                        counts[id] = n;
                        done.countDown();
                    }
                });
            }
            Thread.sleep(length);
            stop.set(true);
            done.await();
        }
        long cpu = processCpuNanos() - cpuStart;
        double seconds = length.toNanos() / 1e9;
        int total = 0;
        for (int c : counts) total += c;
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(perWorker[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        return new Slice(all, errors.get(), seconds, cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static boolean endsWithDone(byte[] body) {
        String tail = new String(body, Math.max(0, body.length - 16), Math.min(16, body.length), java.nio.charset.StandardCharsets.US_ASCII);
        return tail.endsWith("data: [DONE]\n\n");
    }

    private static HttpRequest request(String scenario, URI base, String chatModel, String embedModel) {
        String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"You are concise.\"},"
                + "{\"role\":\"user\",\"content\":\"What is Keel, in one sentence?\"}]";
        String path;
        String body;
        switch (scenario) {
            case "chat", "proxy" -> {
                path = "/chat/completions";
                body = "{\"model\":\"" + chatModel + "\"," + messages + ",\"max_tokens\":64}";
            }
            case "stream" -> {
                path = "/chat/completions";
                body = "{\"model\":\"" + chatModel + "\"," + messages
                        + ",\"max_tokens\":64,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
            }
            case "embeddings" -> {
                path = "/embeddings";
                body = "{\"model\":\"" + embedModel + "\",\"input\":[\"Keel embeds this sentence.\",\"And this one.\"]}";
            }
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'; use chat, stream, embeddings or proxy");
        }
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /** The results as a Markdown table. */
    public static String table(List<Comparison> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | conns | direct p50 ms | keel p50 ms | overhead p50 ms | direct p99 ms | keel p99 ms "
                + "| direct req/s | keel req/s | keel/direct | CPU µs/req direct | CPU µs/req keel | errors |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Comparison c : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f | %.0f | %.0f%% | %.0f | %.0f | %d |%n",
                    c.direct().scenario(), c.direct().concurrency(), c.direct().p50() / 1e6, c.keel().p50() / 1e6,
                    c.overheadP50Millis(), c.direct().p99() / 1e6, c.keel().p99() / 1e6, c.direct().throughput(),
                    c.keel().throughput(), 100 * c.throughputRatio(), c.direct().cpuMicrosPerRequest(),
                    c.keel().cpuMicrosPerRequest(), c.direct().errors() + c.keel().errors()));
        }
        return sb.toString();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: GatewayBench [--seconds 5] [--warmup 2] [--concurrency 1,50] "
                        + "[--scenarios chat,stream,embeddings]");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
