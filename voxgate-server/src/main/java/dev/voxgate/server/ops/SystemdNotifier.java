package dev.voxgate.server.ops;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * systemd's notification protocol (sd_notify) for {@code Type=notify} units: {@code READY=1} once the server is
 * healthy (what {@code /ready} answers 200 to), {@code WATCHDOG=1} every half {@code WATCHDOG_USEC} while it stays
 * healthy (so systemd restarts a server whose engines or job database stay down past {@code WatchdogSec=}), and
 * {@code STOPPING=1} when the shutdown drain begins. Each message is one datagram to the AF_UNIX socket named by
 * {@code NOTIFY_SOCKET} (a leading {@code @} names the abstract namespace). Without {@code NOTIFY_SOCKET} there is
 * no notifier. Time comes from {@code nanoTime} and {@link #tick} is what the scheduler calls, so tests own both.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
    /** How often, at most, readiness is polled before {@code READY=1}, and the watchdog's due time looked at. */
    static final Duration MAX_TICK = Duration.ofMillis(250);

    /** Where the notifications go: one datagram each. */
    public interface Channel extends AutoCloseable {
        void send(String state) throws IOException;

        @Override
        void close();
    }

    private final Channel channel;
    private final BooleanSupplier healthy;
    private final LongSupplier nanoTime;
    private final Optional<Duration> watchdog;
    private boolean ready;
    private boolean stopping;
    private boolean reportedUnhealthy;
    private boolean failedToSend;
    private long lastPing;
    private ScheduledExecutorService scheduler;

    /**
     * @param watchdog {@code WATCHDOG_USEC} when the watchdog is on for this process: {@code WATCHDOG=1} is sent every
     *                 half of it
     */
    public SystemdNotifier(Channel channel, BooleanSupplier healthy, Optional<Duration> watchdog,
            LongSupplier nanoTime) {
        this.channel = channel;
        this.healthy = healthy;
        this.watchdog = watchdog;
        this.nanoTime = nanoTime;
    }

    /** A notifier for the socket {@code NOTIFY_SOCKET} names, if it names one (else systemd is not listening). */
    public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> env, BooleanSupplier healthy) {
        String socket = env.getOrDefault("NOTIFY_SOCKET", "");
        if (socket.isEmpty()) return Optional.empty();
        if (!socket.startsWith("/") && !socket.startsWith("@")) {
            log.warn("NOTIFY_SOCKET={} is neither a path nor an abstract socket (@name): not notifying systemd",
                    socket);
            return Optional.empty();
        }
        try {
            return Optional.of(new SystemdNotifier(unixDatagram(socket), healthy, watchdogInterval(env,
                    ProcessHandle.current().pid()), System::nanoTime));
        } catch (IOException | RuntimeException | LinkageError e) {
            log.warn("cannot notify systemd through NOTIFY_SOCKET={}: {}", socket, e.toString());
            return Optional.empty();
        }
    }

    /**
     * {@code WATCHDOG_USEC}, unless {@code WATCHDOG_PID} names another process (as sd_watchdog_enabled reads them).
     * A value that is not a positive number turns the watchdog off, with a warning.
     */
    static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        if (usec.isEmpty()) return Optional.empty();
        String forPid = env.getOrDefault("WATCHDOG_PID", "");
        if (!forPid.isEmpty() && !forPid.equals(Long.toString(pid))) return Optional.empty();
        try {
            long micros = Long.parseLong(usec);
            if (micros > 0) return Optional.of(Duration.ofNanos(micros * 1000));
        } catch (NumberFormatException e) {
            // below
        }
        log.warn("WATCHDOG_USEC={} is not a positive number of microseconds: not feeding the watchdog", usec);
        return Optional.empty();
    }

    /** Datagrams to the AF_UNIX socket at {@code address}: a path, or {@code @name} in the abstract namespace. */
    static Channel unixDatagram(String address) throws IOException {
        AFUNIXSocketAddress to = address.startsWith("@")
                ? AFUNIXSocketAddress.inAbstractNamespace(address.substring(1))
                : AFUNIXSocketAddress.of(Path.of(address));
        AFUNIXDatagramChannel socket = AFUNIXDatagramChannel.open();
        return new Channel() {
            @Override
            public void send(String state) throws IOException {
                socket.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), to);
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException e) {
                    log.debug("closing the systemd notification socket", e);
                }
            }
        };
    }

    /** The watchdog interval this notifier feeds, if the watchdog is on. */
    public Optional<Duration> watchdog() {
        return watchdog;
    }

    /** How often {@link #tick} must run: often enough to be ready promptly and never late for the watchdog. */
    public Duration tickPeriod() {
        return watchdog.map(w -> w.dividedBy(4)).filter(p -> p.compareTo(MAX_TICK) < 0).orElse(MAX_TICK);
    }

    /** Calls {@link #tick} every {@link #tickPeriod} on a daemon thread of its own until {@link #close}. */
    public synchronized SystemdNotifier start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "voxgate-systemd-notify");
                t.setDaemon(true);
                return t;
            });
            long period = tickPeriod().toNanos();
            scheduler.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
            log.info("notifying systemd (READY=1 once ready{})", watchdog.map(w -> ", WATCHDOG=1 every "
                    + w.dividedBy(2).toMillis() + " ms while ready").orElse(""));
        }
        return this;
    }

    /**
     * Before {@code READY=1}: sends it once the server is healthy. After: when half the watchdog interval has passed
     * since the last {@code WATCHDOG=1}, sends another if the server is still healthy; if not, sends none (systemd
     * then restarts it after {@code WatchdogSec=}) and says why in {@code STATUS=}.
     */
    public synchronized void tick() {
        if (stopping) return;
        long now = nanoTime.getAsLong();
        if (!ready) {
            if (healthy.getAsBoolean()) {
                ready = true;
                lastPing = now;
                send("READY=1\nSTATUS=ready");
            }
            return;
        }
        if (watchdog.isEmpty() || now - lastPing < watchdog.get().toNanos() / 2) return;
        if (healthy.getAsBoolean()) {
            lastPing = now;
            send(reportedUnhealthy ? "WATCHDOG=1\nSTATUS=ready" : "WATCHDOG=1");
            reportedUnhealthy = false;
        } else if (!reportedUnhealthy) {
            reportedUnhealthy = true;
            log.warn("not ready (/ready answers 503): not feeding systemd's watchdog until it is");
            send("STATUS=not ready (/ready answers 503): watchdog not fed");
        }
    }

    /** Tells systemd the server is stopping ({@code STOPPING=1}); no more watchdog pings after this. */
    public synchronized void stopping() {
        if (stopping) return;
        stopping = true;
        send("STOPPING=1\nSTATUS=draining sessions");
    }

    /** Whether {@code READY=1} has been sent. */
    public synchronized boolean isReady() {
        return ready;
    }

    private void send(String state) {
        try {
            channel.send(state);
        } catch (IOException | RuntimeException e) { // never out of the scheduler's task: that would end the ticks
            if (!failedToSend) log.warn("cannot notify systemd ({}): {}", state.lines().findFirst().orElse(""),
                    e.toString());
            failedToSend = true;
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) s.shutdownNow();
        channel.close();
    }
}
