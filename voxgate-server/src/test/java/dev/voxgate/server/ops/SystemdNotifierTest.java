package dev.voxgate.server.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier against a real AF_UNIX datagram socket made here (as systemd makes NOTIFY_SOCKET), with the time and
 * the ticks in the test's hands.
 */
class SystemdNotifierTest {
    private static final Duration WATCHDOG = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private AFUNIXDatagramSocket systemd;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean healthy = new AtomicBoolean(false);

    @AfterEach
    void closeSocket() {
        if (systemd != null) systemd.close();
    }

    private String listenAt(boolean abstractNamespace) throws IOException {
        systemd = AFUNIXDatagramSocket.newInstance();
        String name;
        if (abstractNamespace) {
            name = "@voxgate-test-" + UUID.randomUUID();
            systemd.bind(AFUNIXSocketAddress.inAbstractNamespace(name.substring(1)));
        } else {
            name = dir.resolve("notify").toString();
            systemd.bind(AFUNIXSocketAddress.of(Path.of(name)));
        }
        systemd.setSoTimeout(200);
        return name;
    }

    private SystemdNotifier notifier(String socket, String watchdogUsec) {
        Map<String, String> env = watchdogUsec == null ? Map.of("NOTIFY_SOCKET", socket)
                : Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", watchdogUsec);
        Optional<Duration> watchdog;
        try (SystemdNotifier fromEnv = SystemdNotifier.fromEnvironment(env, healthy::get).orElseThrow()) {
            watchdog = fromEnv.watchdog();
        }
        return new SystemdNotifier(channel(socket), healthy::get, watchdog, now::get);
    }

    private static SystemdNotifier.Channel channel(String socket) {
        try {
            return SystemdNotifier.unixDatagram(socket);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The next datagram systemd would read, or null if none comes within 200 ms. */
    private String received() throws IOException {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            systemd.receive(p);
        } catch (SocketTimeoutException none) {
            return null;
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void readyOnlyOnceHealthyThenTheWatchdogEveryHalfIntervalWhileHealthy() throws IOException {
        String socket = listenAt(false);
        try (SystemdNotifier n = notifier(socket, Long.toString(WATCHDOG.toNanos() / 1000))) {
            assertThat(n.watchdog()).contains(WATCHDOG);
            n.tick();
            advance(Duration.ofSeconds(20));
            n.tick();
            assertThat(received()).as("nothing while /ready would answer 503 (engines loading)").isNull();

            healthy.set(true);
            n.tick();
            assertThat(received()).startsWith("READY=1");
            n.tick();
            advance(WATCHDOG.dividedBy(2).minusMillis(1));
            n.tick();
            assertThat(received()).as("no ping before half the interval").isNull();
            advance(Duration.ofMillis(1));
            n.tick();
            assertThat(received()).isEqualTo("WATCHDOG=1");
            advance(WATCHDOG.dividedBy(2));
            n.tick();
            assertThat(received()).isEqualTo("WATCHDOG=1");

            healthy.set(false); // e.g. the job database stopped answering
            for (int i = 0; i < 4; i++) {
                advance(WATCHDOG.dividedBy(2));
                n.tick();
            }
            assertThat(received()).as("the reason, once").startsWith("STATUS=not ready");
            assertThat(received()).as("no WATCHDOG=1 while unhealthy").isNull();

            healthy.set(true);
            n.tick();
            assertThat(received()).startsWith("WATCHDOG=1");

            n.stopping();
            assertThat(received()).startsWith("STOPPING=1");
            advance(WATCHDOG);
            n.tick();
            assertThat(received()).as("nothing after STOPPING=1").isNull();
            assertThat(n.isReady()).isTrue();
        }
    }

    @Test
    void abstractNamespaceSocketAndNoWatchdog() throws IOException {
        String socket = listenAt(true);
        try (SystemdNotifier n = notifier(socket, null)) {
            assertThat(n.watchdog()).isEmpty();
            assertThat(n.tickPeriod()).isEqualTo(SystemdNotifier.MAX_TICK);
            healthy.set(true);
            n.tick();
            assertThat(received()).startsWith("READY=1");
            advance(Duration.ofHours(1));
            n.tick();
            assertThat(received()).as("no watchdog asked for").isNull();
            n.stopping();
            assertThat(received()).startsWith("STOPPING=1");
        }
    }

    @Test
    void startTicksOnItsOwnThreadAtAQuarterOfTheWatchdog() throws Exception {
        String socket = listenAt(false);
        healthy.set(true);
        // 400 ms watchdog: ticks every 100 ms, pings every 200 ms, on the real clock.
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket,
                "WATCHDOG_USEC", "400000"), healthy::get).orElseThrow()) {
            assertThat(n.tickPeriod()).isEqualTo(Duration.ofMillis(100));
            n.start();
            systemd.setSoTimeout(2000);
            assertThat(received()).startsWith("READY=1");
            long t0 = System.nanoTime();
            assertThat(received()).isEqualTo("WATCHDOG=1");
            assertThat(received()).isEqualTo("WATCHDOG=1");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void nothingWithoutNotifySocketAndTheWatchdogIsForItsPidOnly() {
        assertThat(SystemdNotifier.fromEnvironment(Map.of(), () -> true)).isEmpty();
        assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "vsock:2:1234"), () -> true)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42))
                .contains(Duration.ofSeconds(30));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "43"), 42))
                .isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
        assertThat(SystemdNotifier.watchdogInterval(Map.of(), 42)).isEqualTo(Optional.empty());
    }
}
