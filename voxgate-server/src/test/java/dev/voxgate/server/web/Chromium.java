package dev.voxgate.server.web;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.http.ClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Nothing is downloaded: the
 * binaries are found at their Debian paths (or CHROMIUM_BIN / CHROMEDRIVER_BIN), and a test
 * fails with the install command when they are missing rather than skipping.
 */
final class Chromium {
    static final Path ARTIFACTS = Path.of("target", "browser-artifacts");

    private Chromium() {
    }

    /** How the fake microphone behaves. */
    enum Microphone {
        /** Plays a WAV file (once) as the microphone; permission granted without a prompt. */
        FILE,
        /** Permission requests are refused, as when a person clicks "Block". */
        DENIED,
        /** No capture device at all (a desktop without a microphone). */
        NONE
    }

    static ChromeDriver launch(Microphone microphone, Path speechWav, Path profile, Path downloads) {
        return launch(microphone, speechWav, profile, downloads, List.of());
    }

    static ChromeDriver launch(Microphone microphone, Path speechWav, Path profile, Path downloads,
            List<String> extraArgs) {
        Path chromium = binary("CHROMIUM_BIN", "/usr/bin/chromium");
        Path driver = binary("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        List<String> args = new ArrayList<>(List.of(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                // The sandbox's network is closed: without these Chromium keeps dialling Google's hosts.
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--window-size=1200,900", "--user-data-dir=" + profile.toAbsolutePath()));
        switch (microphone) {
            case FILE -> {
                args.add("--use-fake-ui-for-media-stream");
                args.add("--use-fake-device-for-media-stream");
                args.add("--use-file-for-fake-audio-capture=" + speechWav.toAbsolutePath() + "%noloop");
            }
            case DENIED -> {
                args.add("--use-fake-device-for-media-stream");
                args.add("--deny-permission-prompts");
            }
            case NONE -> args.add("--use-fake-ui-for-media-stream");
        }
        args.addAll(extraArgs);
        options.addArguments(args);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false,
                // The Files view saves each transcript format with its own click; none of them is "automatic".
                "profile.default_content_setting_values.automatic_downloads", 1));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        // A page that hangs should fail the test within a minute, not after Selenium's default three.
        ClientConfig client = ClientConfig.defaultConfig().readTimeout(Duration.ofSeconds(60));
        return new ChromeDriver(service, options, client);
    }

    /** Quits the browser and kills whatever is left of it (a hung renderer survives chromedriver's quit). */
    static void quit(ChromeDriver driver, Path profile) {
        try {
            if (driver != null) driver.quit();
        } catch (RuntimeException e) {
            System.out.println("[browser] quit failed: " + e.getMessage());
        } finally {
            String marker = "--user-data-dir=" + profile.toAbsolutePath();
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(ARTIFACTS);
            Path file = ARTIFACTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            System.out.println("[browser] screenshot " + file.toAbsolutePath());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console messages since the last call, for failure messages. */
    static String console(ChromeDriver driver) {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
        } catch (RuntimeException e) {
            return " (console unavailable: " + e.getMessage() + ")";
        }
    }

    private static Path binary(String env, String debianPath) {
        String override = System.getenv(env);
        Path path = Path.of(override != null && !override.isBlank() ? override : debianPath);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("browser tests need " + path
                    + ": install Debian's chromium and chromium-driver "
                    + "(sudo apt-get install chromium chromium-driver; .ci/run does this) or set " + env);
        }
        return path;
    }
}
