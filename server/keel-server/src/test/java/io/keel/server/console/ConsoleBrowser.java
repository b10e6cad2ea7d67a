package io.keel.server.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

/**
 * Debian's headless chromium through chromedriver, for the console's browser tests. Without {@code /usr/bin/chromium}
 * the tests are skipped with a message, unless {@code CI=true} or {@code KEEL_REQUIRE_CHROMIUM} is set: then they fail,
 * so a CI machine that lost its browser cannot pass by skipping.
 */
final class ConsoleBrowser {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("KEEL_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("KEEL_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private ConsoleBrowser() {
    }

    private static final String MISSING = "the console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
            + " (apt-get install -y chromium chromium-driver)";

    /** Whether the browser is installed; when it is not and CI requires it, fails. */
    static boolean available() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) return true;
        boolean required = "true".equalsIgnoreCase(System.getenv("CI")) || System.getenv("KEEL_REQUIRE_CHROMIUM") != null;
        if (required) throw new AssertionError(MISSING + "; CI=true or KEEL_REQUIRE_CHROMIUM is set, so they may not be skipped");
        System.err.println("ConsoleBrowserTest skipped: " + MISSING);
        return false;
    }

    /** Skips the calling test, with the reason, when the browser is not installed. */
    static void assumeAvailable(boolean available) {
        Assumptions.assumeTrue(available, () -> "skipped: " + MISSING);
    }

    static WebDriver open(Path userDataDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,1000", "--user-data-dir=" + userDataDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
        return new ChromeDriver(service, options);
    }
}
