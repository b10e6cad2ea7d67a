package io.keel.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.AuditActor;
import io.keel.core.security.Role;
import io.keel.http.HttpJson;
import io.keel.registry.RegisterRequest;
import io.keel.server.KeelServer;
import io.keel.test.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's chromium, headless, through chromedriver) against a real server with
 * seeded traffic and authentication on: an admin signs in with an API key, every page loads without a JavaScript
 * error and shows the numbers the JSON API gives; a viewer key's promotion is refused and changes nothing. Each
 * page's screenshot is written to {@code target/console-screenshots} (and to {@code -Dkeel.console.screenshots=DIR}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<Role, String> KEYS = new EnumMap<>(Role.class);
    private static final String MODEL = "gpt-small";
    private static Keel keel;
    private static KeelServer server;
    private static WebDriver driver;
    private static Path userData;

    @BeforeAll
    static void start() throws Exception {
        ConsoleBrowser.requireChromium();
        Path dir = Files.createTempDirectory("keel-console-test");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "auth", Map.of("enabled", "true"),
                "budgets", Map.of("limits", List.of(Map.of("scope", "tenant", "subject", "*", "period", "month", "limit_usd", "5.00")))), Map.of());
        keel = Keel.open(config);
        ApiKeyManager keys = new ApiKeyManager(keel.apiKeys(), java.time.Clock.systemUTC());
        for (Role r : Role.values()) {
            KEYS.put(r, keys.create(new ApiKeyManager.Spec("acme", r, r.wireName(), null, Set.of(), Set.of(), 0)).secret());
        }
        ConsoleTraffic.write(keel.requestLog(), new Seeds().random(), 600, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Duration.ofSeconds(20));
        for (int v = 1; v <= 2; v++) {
            Map<String, Object> entry = Map.of("name", MODEL, "provider", "openai", "model", "gpt-4o-mini-v" + v,
                    "endpoints", List.of("http://127.0.0.1:9/v1"), "price", Map.of("input_per_1m", 0.15 * v, "output_per_1m", 0.6 * v));
            keel.registry().registration(RegisterRequest.of(entry), AuditActor.user("ops"));
        }
        server = KeelServer.start(keel, config.server().withPort(0));
        userData = Files.createTempDirectory("keel-console-chromium");
        driver = ConsoleBrowser.open(userData);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private static JsonNode api(String path, Role role) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + KEYS.get(role)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return HttpJson.MAPPER.readTree(r.body());
    }

    private static void signIn(Role role) {
        driver.get(base() + "/console");
        driver.manage().deleteAllCookies();
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.get(base() + "/console#/overview");
        WebElement key = new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.sendKeys(KEYS.get(role));
        driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        loaded("overview");
    }

    /** Opens {@code #/hash} and waits until its page has rendered. */
    private static WebElement open(String hash, String page) {
        driver.get(base() + "/console#/" + hash);
        driver.navigate().refresh();
        return loaded(page);
    }

    private static WebElement loaded(String page) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-page='" + page + "'][data-loaded='true']")));
    }

    private static String stat(String name) {
        return driver.findElement(By.cssSelector("[data-stat='" + name + "']")).getText();
    }

    private static List<String> column(String testid, int col) {
        List<String> out = new ArrayList<>();
        for (WebElement tr : driver.findElements(By.cssSelector("[data-testid='" + testid + "'] tbody tr"))) {
            out.add(tr.findElements(By.tagName("td")).get(col).getAttribute("textContent"));
        }
        return out;
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target/console-screenshots");
        Files.createDirectories(target);
        Files.copy(shot.toPath(), target.resolve("console-" + name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("keel.console.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.createDirectories(Path.of(docs));
            Files.copy(shot.toPath(), Path.of(docs).resolve("console-" + name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The browser's console messages since the last call that are errors. */
    private static List<String> consoleErrors() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) out.add(e.getMessage());
        }
        return out;
    }

    @Test
    @Order(1)
    void anAdminSignsInAndTheOverviewShowsTheApisNumbers() throws Exception {
        signIn(Role.ADMIN);
        JsonNode total = api("/v1/usage", Role.ADMIN).at("/data/0");
        assertThat(stat("requests")).isEqualTo(String.format(java.util.Locale.US, "%,d", total.get("requests").asLong())).isEqualTo("600");
        assertThat(stat("errors")).isEqualTo(String.format(java.util.Locale.US, "%,d", total.get("errors").asLong()));
        assertThat(stat("cost_usd")).isEqualTo(total.get("cost_usd").asText());
        assertThat(stat("prompt_tokens")).isEqualTo(String.format(java.util.Locale.US, "%,d", total.get("prompt_tokens").asLong()));
        JsonNode latency = api("/v1/console/latency", Role.ADMIN);
        assertThat(stat("p95_total")).isEqualTo(String.format(java.util.Locale.US, "%.1f ms", latency.at("/overall/p95_ms/total").asDouble()));
        JsonNode byTenant = api("/v1/usage?group_by=tenant", Role.ADMIN).get("data");
        assertThat(column("usage-tenant", 0)).containsExactlyElementsOf(byTenant.findValuesAsText("tenant")).containsExactlyInAnyOrder("acme", "globex");
        assertThat(column("usage-tenant", 5)).containsExactlyElementsOf(byTenant.findValuesAsText("cost_usd"));
        JsonNode byVariant = api("/v1/usage?group_by=variant", Role.ADMIN).get("data");
        assertThat(column("usage-variant", 5)).containsExactlyElementsOf(byVariant.findValuesAsText("cost_usd"));
        JsonNode budgets = api("/v1/console/budgets", Role.ADMIN).get("data");
        assertThat(column("budgets", 1)).containsExactlyElementsOf(budgets.findValuesAsText("subject"));
        assertThat(column("budgets", 4)).containsExactlyElementsOf(budgets.findValuesAsText("spent_usd"));
        assertThat(driver.findElements(By.cssSelector("[data-testid='chart-p95'] canvas"))).as("the latency chart is drawn").isNotEmpty();
        assertThat(consoleErrors()).as("JavaScript console errors").isEmpty();
        screenshot("overview");
    }
}
