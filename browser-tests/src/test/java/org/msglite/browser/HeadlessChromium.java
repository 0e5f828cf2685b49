package org.msglite.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's ChromeDriver, headless, one browser with a fresh profile
 * per instance. The binaries are given explicitly, so Selenium never tries to download a driver
 * or a browser (this machine has no network for that), and the flags keep Chromium from calling
 * out to Google's services, which the closed network would refuse at every start.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BROWSER = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    /**
     * Selenium warns at every start that it has no DevTools (CDP) classes for this Chromium's
     * version; the tests only use WebDriver, so that warning is noise. Held here so the setting
     * stays (java.util.logging keeps loggers only weakly).
     */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * A missing browser or driver fails the test with the command that installs them (./run-tests
     * installs both): a browser test that quietly skips would pass without testing anything.
     */
    static void requireInstalled() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            fail(BROWSER + " or " + DRIVER + " not found: install them with "
                    + "`apt-get install -y chromium chromium-driver` (or set CHROMIUM and CHROMEDRIVER)");
        }
    }

    /** Starts a browser; its ChromeDriver log goes to {@code logDir} for post-mortems. */
    static HeadlessChromium start(Path logDir) throws IOException {
        Path profile = Files.createTempDirectory("msglite-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        Files.createDirectories(logDir);
        File log = Files.createTempFile(logDir, "chromedriver", ".log").toFile();
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(log).build();
        try {
            return new HeadlessChromium(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
