package io.keel.bench.console;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.server.KeelServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * How long each console page takes to load in headless chromium, from navigation start to the page's data rendered
 * (the shell, its scripts, every API call the page makes, the tables and charts), against a Keel server whose request
 * log first holds 1,000 rows (the baseline) and then {@code rows} (default 100,000). Each page is loaded {@code loads}
 * times after three warm-up loads; a load is a full navigation, so nothing is kept in the page between loads (files
 * are revalidated with their ETags, as a browser does).
 *
 * <p>Usage: {@code ConsolePageLoadBench [rows] [loads] [page,page...]}. Needs /usr/bin/chromium and /usr/bin/chromedriver.
 */
public final class ConsolePageLoadBench {
    private static final List<String> ALL_PAGES = List.of("overview", "requests", "guards", "experiments", "ingestion", "models");
    private static List<String> PAGES = ALL_PAGES;
    private static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella");
    private static final List<String> APPS = List.of("support-bot", "search", "assistant", "summarizer");

    private ConsolePageLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int loads = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (args.length > 2) PAGES = List.of(args[2].split(","));
        Path dir = Files.createTempDirectory("keel-console-bench");
        Path experiments = Files.createDirectories(dir.resolve("experiments"));
        Files.writeString(experiments.resolve("retrieval-mode.yaml"),
                "name: retrieval-mode\nvariants:\n  - name: control\n  - name: bm25\n    overrides:\n      retrieval: {mode: bm25}\n");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "auth", Map.of("enabled", "true"),
                "experiments", Map.of("dir", experiments.toString()),
                "budgets", Map.of("limits", List.of(Map.of("scope", "tenant", "subject", "*", "period", "month", "limit_usd", "500")))), Map.of());
        Random random = new Random(0x23);
        try (Keel keel = Keel.open(config)) {
            String key = new ApiKeyManager(keel.apiKeys(), java.time.Clock.systemUTC())
                    .create(new ApiKeyManager.Spec("acme", Role.ADMIN, "bench", null, Set.of(), Set.of(), 0)).secret();
            RequestStore store = keel.requests().orElseThrow();
            Instant end = Instant.now();
            int baseline = Math.min(1000, rows);
            write(store, random, 0, baseline, rows, end);
            KeelServer server = KeelServer.start(keel, config.server().withPort(0));
            WebDriver driver = browser(Files.createTempDirectory("keel-console-bench-chromium"));
            try {
                String base = "http://127.0.0.1:" + server.port() + "/console";
                signIn(driver, base, key);
                Map<String, double[]> small = measure(driver, base, loads);
                long t0 = System.nanoTime();
                write(store, random, baseline, rows, rows, end);
                System.out.printf("wrote %,d more rows in %.1f s%n", rows - baseline, (System.nanoTime() - t0) / 1e9);
                Map<String, double[]> large = measure(driver, base, loads);
                apiTimes("http://127.0.0.1:" + server.port(), key);
                System.out.printf("%n| page | p50 at %,d rows | p95 at %,d rows | p50 at %,d rows | p95 at %,d rows | p95 ratio |%n", baseline, baseline, rows, rows);
                System.out.println("|---|---:|---:|---:|---:|---:|");
                for (String page : PAGES) {
                    double[] s = small.get(page);
                    double[] l = large.get(page);
                    System.out.printf("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.2f |%n", page, pct(s, 0.5), pct(s, 0.95),
                            pct(l, 0.5), pct(l, 0.95), pct(l, 0.95) / pct(s, 0.95));
                }
            } finally {
                driver.quit();
                server.close();
            }
        }
    }

    /** Records {@code from..to-1} of {@code total}, spread evenly over the 30 days before {@code end}, oldest first. */
    private static void write(RequestStore store, Random random, int from, int to, int total, Instant end) {
        long spanMs = Duration.ofDays(30).toMillis();
        for (int i = from; i < to; i++) {
            // row i is i/total of 30 days old: the baseline's rows are the newest, the larger log adds history behind them
            Instant time = end.minusMillis((long) i * spanMs / total);
            store.record(record("req_bench_" + String.format("%09d", i), time, random));
        }
        if (store instanceof io.keel.store.sql.SqlRequestStore sql) sql.flush();
    }

    private static RequestRecord record(String id, Instant time, Random random) {
        int roll = random.nextInt(100);
        String status = roll < 3 ? "upstream_error" : roll < 6 ? "blocked" : "ok";
        Map<String, Long> nanos = new LinkedHashMap<>();
        nanos.put(Timings.GUARD_INPUT, ms(random, 1, 4));
        nanos.put(Timings.EMBEDDING, ms(random, 2, 10));
        nanos.put(Timings.VECTOR_SEARCH, ms(random, 3, 25));
        nanos.put(Timings.INFERENCE, status.equals("ok") ? ms(random, 150, 900) : 0);
        nanos.put(Timings.GUARD_OUTPUT, status.equals("ok") ? ms(random, 1, 5) : 0);
        nanos.put(Timings.TOTAL, nanos.values().stream().mapToLong(Long::longValue).sum());
        long prompt = 200 + random.nextInt(800);
        long completion = status.equals("ok") ? 20 + random.nextInt(300) : 0;
        String model = random.nextInt(4) == 0 ? "gpt-large" : "gpt-small";
        return RequestRecord.builder(id, "query").time(time)
                .caller(new Caller(TENANTS.get(random.nextInt(TENANTS.size())), "user-" + random.nextInt(500),
                        APPS.get(random.nextInt(APPS.size())), "chat"))
                .status(status)
                .question("How do I rotate an API key? (" + id + ")")
                .answer(status.equals("ok") ? "Rotate it with POST /v1/keys/{id}/rotate [1]." : null)
                .usage(new Usage(prompt, completion, (prompt + completion) * (model.equals("gpt-large") ? 10.0 : 0.6) / 1e6, false))
                .timings(new Timings(nanos))
                .lineage(new Lineage("all-minilm-l6-v2-q", "handbook@3", model, "1", "rag-answer", "1.0.0", "default@1",
                        "retrieval-mode", random.nextBoolean() ? "control" : "bm25", Map.of("mode", "hybrid", "top_k", 5)))
                .citations(List.of("docs/security.md#3"))
                .context(List.of(new RequestRecord.ContextChunk("docs/security.md#3", "docs/security.md", 0.8,
                        "Keys are rotated with POST /v1/keys/{id}/rotate?grace=24h. ".repeat(8))))
                .findings(roll < 4 ? List.of("prompt_injection") : roll < 10 ? List.of("EMAIL_ADDRESS") : List.of())
                .quality(status.equals("ok") ? new Quality(0.8, 0.1, 0.2, 0.9, 2, 2) : Quality.NONE)
                .build();
    }

    private static long ms(Random random, int lo, int hi) {
        return (lo + random.nextInt(hi - lo + 1)) * 1_000_000L + random.nextInt(1_000_000);
    }

    private static Map<String, double[]> measure(WebDriver driver, String base, int loads) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String page : PAGES) {
            for (int i = 0; i < 3; i++) load(driver, base, page, i);
            double[] ms = new double[loads];
            for (int i = 0; i < loads; i++) ms[i] = load(driver, base, page, 1000 + i);
            java.util.Arrays.sort(ms);
            out.put(page, ms);
            System.out.printf("%-12s p50 %6.0f ms  p95 %6.0f ms  max %6.0f ms%n", page, pct(ms, 0.5), pct(ms, 0.95), ms[ms.length - 1]);
        }
        return out;
    }

    /** One full navigation to a page; the milliseconds from navigation start until the page's data was rendered. */
    private static double load(WebDriver driver, String base, String page, int n) {
        driver.get(base + "?load=" + n + "#/" + page);
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#page [data-page='" + page + "'][data-loaded='true']")));
        String ms = driver.findElement(By.cssSelector("#page [data-page='" + page + "']")).getDomAttribute("data-load-ms");
        if (driver.findElements(By.cssSelector("[data-testid='error']")).size() > 0) {
            throw new IllegalStateException(page + " showed an error: " + driver.findElement(By.cssSelector("[data-testid='error']")).getText());
        }
        return Double.parseDouble(ms);
    }

    /** Each route the overview, requests and experiments pages call, alone and in turn: where a page's time goes. */
    private static void apiTimes(String base, String key) throws Exception {
        String from = java.time.Instant.now().minus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        List<String> paths = List.of("/v1/usage?from=" + from, "/v1/usage?group_by=day&from=" + from, "/v1/console/latency?from=" + from,
                "/v1/usage?group_by=tenant&from=" + from, "/v1/usage?group_by=app&from=" + from, "/v1/usage?group_by=model&from=" + from,
                "/v1/usage?group_by=variant&from=" + from, "/v1/console/budgets", "/v1/usage", "/v1/requests?limit=50",
                "/v1/requests?limit=50&app=search&status=blocked", "/v1/console/guards",
                "/v1/usage?group_by=experiment,variant", "/v1/experiments/retrieval-mode/report");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        System.out.printf("%n| route | median | p95 |%n|---|---:|---:|%n");
        for (String path : paths) {
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                    .header("Authorization", "Bearer " + key).build();
            for (int i = 0; i < 3; i++) http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
            double[] ms = new double[21];
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                var res = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
                ms[i] = (System.nanoTime() - t) / 1e6;
                if (res.statusCode() != 200) throw new IllegalStateException(path + ": " + res.body());
            }
            java.util.Arrays.sort(ms);
            System.out.printf("| `%s` | %.1f ms | %.1f ms |%n", path.replace(from, "<24h ago>"), pct(ms, 0.5), pct(ms, 0.95));
        }
    }

    private static void signIn(WebDriver driver, String base, String key) {
        driver.get(base + "#/overview");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('keel.console.key', arguments[0])", key);
    }

    static double pct(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static WebDriver browser(Path userData) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1366,1000", "--user-data-dir=" + userData);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
