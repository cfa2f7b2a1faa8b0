package dev.voxgate.dist;

import dev.voxgate.testkit.SpeechCorpus;
import dev.voxgate.testkit.Utterance;
import dev.voxgate.testkit.WordErrorRate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive as a user gets it: {@code tar xzf voxgate-*.tar.gz && voxgate-*&#47;bin/voxgate serve} on a machine
 * whose only {@code java} is older than 21 (Debian 12's 17 in /usr/bin), with nothing inherited from the build's
 * environment. The container test covers a machine with no Java at all.
 */
class DistributionIT {
    private static final Duration START = Duration.ofMinutes(3);
    @TempDir
    static Path dir;
    private static Path home;

    @BeforeAll
    static void unpack() {
        Path archive = Path.of(System.getProperty("voxgate.dist.archive"));
        assertThat(archive).as("the archive mvn package makes").isRegularFile();
        Command.of("tar", "xzf", archive.toString()).in(dir).run(Duration.ofMinutes(2)).orFail("tar xzf");
        try (var entries = Files.list(dir)) {
            home = entries.filter(p -> p.getFileName().toString().startsWith("voxgate-")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        System.out.println("[dist] " + archive.getFileName() + ": " + archive.toFile().length() / (1024 * 1024)
                + " MiB");
    }

    /** PATH of a bare Debian machine: whatever java is there (17 on these machines, or none) must not be used. */
    private static Map<String, String> bareEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.resolve("home").toString());
        env.put("VOXGATE_CACHE_DIR", dir.resolve("cache").toString());
        env.put("DATA_DIR", dir.resolve("data").toString());
        return env;
    }

    @Test
    void launcherUsesItsOwnRuntimeWhateverJavaIsOnThePath() {
        Command.Result version = Command.of(home.resolve("bin/voxgate").toString(), "--version").env(bareEnvironment())
                .runClean(Duration.ofMinutes(1)).orFail("bin/voxgate --version");
        assertThat(version.output()).contains("voxgate ");
        if (Files.isExecutable(Path.of("/usr/bin/java"))) {
            String system = Command.of("/usr/bin/java", "-version").run(Duration.ofSeconds(30)).all();
            System.out.println("[dist] java on the bare PATH: " + system.lines().findFirst().orElse("?"));
        }
    }

    @Test
    void withoutTheRuntimeItSaysWhatIsMissingUnlessJavaHomeIsNewEnough() throws IOException {
        Path bare = dir.resolve("no-runtime");
        Files.createDirectories(bare);
        Command.of("cp", "-r", home.resolve("bin").toString(), home.resolve("lib").toString(), bare.toString())
                .run(Duration.ofMinutes(1)).orFail("copy");
        Map<String, String> env = bareEnvironment();
        Command.Result refused = Command.of(bare.resolve("bin/voxgate").toString(), "--version").env(env)
                .runClean(Duration.ofMinutes(1));
        if (Files.isExecutable(Path.of("/usr/bin/java")) && !isOlderThan21(Path.of("/usr/bin/java"))) {
            System.err.println(
                    "[dist] NOT CHECKED: /usr/bin/java is 21 or newer here, so the launcher's refusal of an old java "
                            + "cannot be seen");
        } else {
            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
            assertThat(refused.all()).contains("no Java 21 or newer found").contains("JAVA_HOME");
        }
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Command.of(bare.resolve("bin/voxgate").toString(), "--version").env(env).runClean(Duration.ofMinutes(1))
                .orFail("bin/voxgate --version with JAVA_HOME=" + System.getProperty("java.home"));
    }

    @Test
    void servesStreamsAndAnswersHealthFromTheArchive() throws Exception {
        int port = freePort();
        Map<String, String> env = bareEnvironment();
        env.put("PORT", Integer.toString(port));
        env.put("HOST", "127.0.0.1");
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/voxgate").toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process server = pb.start();
        try {
            awaitReady(URI.create("http://127.0.0.1:" + port + "/ready"), server, log);
            Command.of(home.resolve("bin/voxgate").toString(), "health").env(env).runClean(Duration.ofMinutes(1))
                    .orFail("voxgate health");

            Utterance u = SpeechCorpus.load().first(1).getFirst();
            Command.Result stream = Command.of(home.resolve("bin/voxgate").toString(), "stream",
                    "ws://127.0.0.1:" + port + "/v1/listen", u.wav().toString()).env(env)
                    .runClean(Duration.ofMinutes(2))
                    .orFail("voxgate stream");
            // Finals come on standard output as "[start-end] text"; partials and status lines on standard error.
            String text = stream.output().lines().filter(l -> l.matches("^\\[[0-9.]+-[0-9.]+\\] .*"))
                    .map(l -> l.substring(l.indexOf("] ") + 2)).reduce("", (a, b) -> a + " " + b);
            assertThat(WordErrorRate.edits(u.reference(), text) / (double) WordErrorRate.normalize(u.reference())
                    .size())
                    .as("%s streamed through the archive's server: %s", u.reference(), text).isLessThan(0.5);
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook drains and stops
            if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly();
        }
        assertThat(Files.readString(log)).contains("shutting down");
        assertThat(Command.of(home.resolve("bin/voxgate").toString(), "health").env(env).runClean(Duration.ofMinutes(1))
                .exitCode())
                .as("health after the server stopped").isEqualTo(1);
    }

    static void awaitReady(URI ready, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (server != null && !server.isAlive()) throw new AssertionError("the server exited "
                        + server.exitValue() + ":\n" + Command.tail(Files.readString(log)));
                try {
                    if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("not ready within " + START + ":\n"
                + (log == null ? "" : Command.tail(Files.readString(log))));
    }

    private static boolean isOlderThan21(Path java) {
        String out = Command.of(java.toString(), "-XshowSettings:properties", "-version").run(Duration.ofSeconds(30))
                .all();
        return out.lines().filter(l -> l.strip().startsWith("java.specification.version")).findFirst()
                .map(l -> Integer.parseInt(l.substring(l.indexOf('=') + 1).strip().split("\\.")[0]) < 21).orElse(false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
