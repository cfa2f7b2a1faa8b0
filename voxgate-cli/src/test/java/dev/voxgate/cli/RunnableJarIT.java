package dev.voxgate.cli;

import dev.voxgate.server.Speech;
import dev.voxgate.server.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar as an operator starts it: a separate JVM, configured by environment variables. */
@Timeout(180)
class RunnableJarIT {
    private static final Path JAR = Path.of("target", "voxgate.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private static ProcessBuilder voxgate(String... args) {
        assertThat(JAR).as("the shaded jar is built in the package phase").isRegularFile();
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("VOXGATE_CACHE_DIR", System.getProperty("java.io.tmpdir") + "/voxgate-test-cache");
        try { // job database and files in a fresh folder, never the user's
            pb.environment().put("DATA_DIR", Files.createTempDirectory("voxgate-jar-data").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pb;
    }

    @Test
    void servesHealthReadinessAndStreamingThenStopsOnSigterm() throws Exception {
        ProcessBuilder pb = voxgate("serve").redirectErrorStream(true);
        pb.environment().put("PORT", "0");
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("LOG_FORMAT", "json");
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (Exception ignored) {
                // The process ended.
            }
        });
        try {
            int portNumber = port.get(60, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + portNumber);
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            int ready = 0;
            for (int i = 0; i < 300 && ready != 200; i++) {
                ready = http.send(HttpRequest.newBuilder(base.resolve("/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                if (ready != 200) Thread.sleep(100);
            }
            assertThat(ready).isEqualTo(200);
            try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + portNumber + "/v1/listen"))) {
                WsClient.Result r = c.stream(Speech.audio(Speech.corpus().utterances().get(0)).toBytes(), 3200);
                assertThat(r.close().code()).isEqualTo(1000);
                assertThat(r.finalText()).isNotBlank();
            }
        } finally {
            p.toHandle().destroy(); // SIGTERM, keeping our end of its output pipe open (Process.destroy closes it)
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            reader.join(10_000);
        }
        String output;
        synchronized (log) {
            output = log.toString();
        }
        assertThat(output).as("JSON log lines").contains("\"message\":\"session ended\"")
                .contains("\"outcome\":\"completed\"");
        assertThat(output).as("exit %d", p.exitValue()).contains("shutting down");
    }

    @Test
    void wrongConfigurationStopsStartUpNamingTheVariable() throws Exception {
        ProcessBuilder pb = voxgate("serve");
        pb.environment().put("PORT", "eighty");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("PORT=eighty");
    }

    @Test
    void unusableDataDirStopsStartUpNamingTheVariable(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        ProcessBuilder pb = voxgate("serve");
        pb.environment().put("PORT", "0");
        pb.environment().put("DATA_DIR", file.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("DATA_DIR").contains(file.toString()).doesNotContain("\tat ");
    }

    @Test
    void defaultEngineThatCannotLoadStopsStartUpNamingTheSetting(@TempDir Path empty) throws Exception {
        ProcessBuilder pb = voxgate("serve");
        pb.environment().put("PORT", "0");
        pb.environment().put("VOSK_MODEL_PATH", empty.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("VOSK_MODEL_PATH=" + empty);
    }

    @Test
    void printsItsVersion() throws Exception {
        Process p = voxgate("--version").start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("voxgate 0.");
        assertThat(Files.size(JAR)).isGreaterThan(1_000_000);
    }
}
