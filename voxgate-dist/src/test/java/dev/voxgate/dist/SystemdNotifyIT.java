package dev.voxgate.dist;

import dev.voxgate.server.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive's {@code bin/voxgate serve} as systemd runs a {@code Type=notify} unit with {@code WatchdogSec=}: this
 * test plays systemd's part, binding the AF_UNIX datagram socket it names in {@code NOTIFY_SOCKET}, with
 * {@code WATCHDOG_USEC} of 2 s (so pings come every second). {@code READY=1} must mean {@code /ready} answers 200;
 * the watchdog must be fed; SIGTERM must bring {@code STOPPING=1}, then the drain (notice, finals, 1001) and exit 143.
 */
class SystemdNotifyIT {
    private static final long WATCHDOG_USEC = 2_000_000;
    @TempDir
    static Path dir;
    private static AFUNIXDatagramSocket systemd;
    private static final BlockingQueue<Message> MESSAGES = new LinkedBlockingQueue<>();
    private static Thread receiver;

    /** A notification and when it came ({@link System#nanoTime}). */
    record Message(String text, long at) {
    }

    @BeforeAll
    static void listen() throws IOException {
        systemd = AFUNIXDatagramSocket.newInstance();
        systemd.bind(AFUNIXSocketAddress.of(dir.resolve("notify.sock")));
        receiver = Thread.ofPlatform().daemon().name("fake-systemd").start(() -> {
            byte[] buf = new byte[4096];
            while (!systemd.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    systemd.receive(p);
                } catch (IOException closed) {
                    return;
                }
                MESSAGES.add(new Message(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
                        System.nanoTime()));
            }
        });
    }

    @AfterAll
    static void close() throws InterruptedException {
        systemd.close();
        receiver.join(5_000);
    }

    @Test
    void readyOnlyWhenReadyThenTheWatchdogThenStoppingAndADrainedExit() throws Exception {
        Path home = unpack();
        int port = NginxIT.freePort();
        Path log = dir.resolve("serve.log");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.resolve("home").toString());
        env.put("VOXGATE_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "voxgate-test-cache", "dist")
                .toString());
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("PORT", Integer.toString(port));
        env.put("HOST", "127.0.0.1");
        env.put("SHUTDOWN_GRACE_MS", "10000");
        env.put("NOTIFY_SOCKET", dir.resolve("notify.sock").toString());
        env.put("WATCHDOG_USEC", Long.toString(WATCHDOG_USEC));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/voxgate").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        long started = System.nanoTime();
        Process server = pb.start();
        URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
        try (HttpClient http = HttpClient.newHttpClient()) {
            // Poll /ready until READY=1 comes: how /ready answered before it, and right after.
            List<String> before = new ArrayList<>();
            Message readyMessage = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (readyMessage == null) {
                if (!server.isAlive()) throw new AssertionError("the server exited " + server.exitValue() + ":\n"
                        + Command.tail(Files.readString(log)));
                assertThat(System.nanoTime()).as("READY=1 within 3 min").isLessThan(deadline);
                before.add(status(http, ready));
                Message m = MESSAGES.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    assertThat(m.text()).as("the first notification").startsWith("READY=1");
                    readyMessage = m;
                }
            }
            String after = status(http, ready);
            System.out.printf("[systemd] READY=1 %.1f s after start; /ready before it: %s; right after: %s%n",
                    (readyMessage.at() - started) / 1e9, summary(before), after);
            assertThat(after).as("/ready once READY=1 came").isEqualTo("200");
            assertThat(before).as("READY=1 is not sent while /ready answers 200 for long: it polls every 250 ms")
                    .filteredOn("200"::equals).hasSizeLessThanOrEqualTo(4);

            // The watchdog: WATCHDOG=1 every WATCHDOG_USEC / 2 (1 s) while ready.
            List<Long> pings = new ArrayList<>();
            long watchUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4_500);
            long previous = readyMessage.at();
            while (System.nanoTime() < watchUntil) {
                Message m = MESSAGES.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) continue;
                assertThat(m.text()).isEqualTo("WATCHDOG=1");
                pings.add((m.at() - previous) / 1_000_000);
                previous = m.at();
            }
            System.out.println("[systemd] WATCHDOG=1 intervals (ms): " + pings);
            assertThat(pings).as("pings in 4.5 s at a 1 s interval").hasSizeBetween(3, 5);
            assertThat(pings).allSatisfy(ms -> assertThat(ms).isBetween(900L, 1_400L));

            // SIGTERM with a session open: STOPPING=1 at once, the session drained, exit 143.
            SpeechSample speech = SpeechSample.of(dir, "systemd", 0, 12);
            try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + port
                    + "/v1/listen?sample_rate=16000"))) {
                ws.awaitType("ready");
                byte[] pcm = speech.pcm();
                int part = Math.min(pcm.length, 16_000 * 2 * 6) & ~1;
                for (int pos = 0; pos < part; pos += 3_200) ws.sendBinary(pcm, pos, Math.min(3_200, part - pos));
                ws.awaitType("partial");
                MESSAGES.clear();
                long sigterm = System.nanoTime();
                server.destroy(); // SIGTERM, as systemctl stop sends (KillSignal=SIGTERM)
                Message stopping = null;
                while (stopping == null) {
                    Message m = MESSAGES.poll(10, TimeUnit.SECONDS);
                    assertThat(m).as("STOPPING=1 after SIGTERM").isNotNull();
                    if (m.text().startsWith("STOPPING=1")) stopping = m;
                    else assertThat(m.text()).as("only the watchdog before it").isEqualTo("WATCHDOG=1");
                }
                System.out.printf("[systemd] STOPPING=1 %.0f ms after SIGTERM%n", (stopping.at() - sigterm) / 1e6);
                assertThat(ws.awaitType("notice").path("code").asText()).isEqualTo("server_shutdown");
                WsClient.Result r = ws.awaitClose();
                assertThat(r.finalText()).as("finals of the audio sent before SIGTERM: %s", r.messages())
                        .isNotBlank();
                assertThat(r.close().code()).isEqualTo(1001);
            }
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("exited within SHUTDOWN_GRACE_MS and a margin")
                    .isTrue();
            assertThat(server.exitValue()).as("the JVM's exit on SIGTERM (SuccessExitStatus=143 in the unit)")
                    .isEqualTo(143);
            Message late = MESSAGES.poll(200, TimeUnit.MILLISECONDS);
            assertThat(late == null ? null : late.text()).as("no watchdog ping after STOPPING=1")
                    .isNotEqualTo("WATCHDOG=1");
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.readString(log)).contains("notifying systemd").contains("shutting down");
    }

    private static String status(HttpClient http, URI uri) throws InterruptedException {
        try {
            return Integer.toString(http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException notListening) {
            return "refused";
        }
    }

    /** "refused x12, 503 x20, 200 x1": the run-lengths of the answers. */
    private static String summary(List<String> answers) {
        StringBuilder b = new StringBuilder();
        String last = null;
        int n = 0;
        for (String a : answers) {
            if (a.equals(last)) {
                n++;
                continue;
            }
            if (last != null) b.append(last).append(" x").append(n).append(", ");
            last = a;
            n = 1;
        }
        if (last != null) b.append(last).append(" x").append(n);
        return b.toString();
    }

    private static Path unpack() throws IOException {
        Path archive = Path.of(System.getProperty("voxgate.dist.archive"));
        assertThat(archive).as("the archive mvn package makes").isRegularFile();
        Command.of("tar", "xzf", archive.toString()).in(dir).run(Duration.ofMinutes(2)).orFail("tar xzf");
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("voxgate-")).findFirst().orElseThrow();
        }
    }
}
