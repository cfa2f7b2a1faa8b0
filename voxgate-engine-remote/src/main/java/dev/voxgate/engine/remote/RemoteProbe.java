package dev.voxgate.engine.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether the remote answers: asks its readiness URL (or runs a {@link Check} of the engine's own, for a remote that
 * has no such URL) at start and then every interval, on a daemon thread of its own, and is told of sessions that could
 * or could not connect. A remote that is down when the server starts is therefore
 * used as soon as it answers, without a restart. Logs only changes, and never the key.
 */
public final class RemoteProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteProbe.class);

    /** One look at the remote, bounded in time by the check itself. */
    @FunctionalInterface
    public interface Check {
        /**
         * @return empty when the remote answers; otherwise why it is down, for the operator (no secrets)
         * @throws Exception any failure to ask, taken as "it did not answer"
         */
        Optional<String> downReason() throws Exception;
    }

    private final String name;
    private final Check check;
    private final ScheduledExecutorService timer;
    private volatile boolean up;
    private volatile String why = "not asked yet";
    private boolean asked; // guarded by this

    /**
     * Asks once now (at most {@code timeout}), then every {@code interval}.
     *
     * @param request builds the probe request (URL, headers such as a key); called for every probe
     */
    public RemoteProbe(String name, HttpClient http, Supplier<HttpRequest.Builder> request, Duration timeout,
            Duration interval) {
        this(name, () -> {
            HttpRequest req = request.get().timeout(timeout).GET().build();
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) return Optional.empty();
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                return Optional.of("it refused the key (HTTP " + r.statusCode() + ")");
            }
            return Optional.of("its readiness check answered HTTP " + r.statusCode());
        }, interval);
    }

    /** Runs {@code check} once now, then every {@code interval}. */
    public RemoteProbe(String name, Check check, Duration interval) {
        this.name = name;
        this.check = check;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("voxgate-probe-" + name).unstarted(r));
        probe();
        timer.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isUp() {
        return up;
    }

    /** Why it is down, for the operator; no secrets. */
    public String why() {
        return why;
    }

    /** Empty while up; why it is down otherwise (what {@code SpeechEngine.unavailableReason()} answers). */
    public Optional<String> unavailableReason() {
        return up ? Optional.empty() : Optional.of(why);
    }

    /** A session connected: the remote is up whatever the last probe said. */
    public void reachable() {
        set(true, "answering");
    }

    /** A session could not connect: down until the next probe says otherwise. */
    public void unreachable(String reason) {
        set(false, reason);
    }

    private void probe() {
        try {
            Optional<String> down = check.downReason();
            if (down.isEmpty()) set(true, "answering");
            else set(false, down.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // any failure to ask means down; the next probe asks again
            set(false, "it did not answer (" + e.getClass().getSimpleName() + ")");
        }
    }

    private synchronized void set(boolean nowUp, String reason) {
        boolean was = up, first = !asked;
        asked = true;
        up = nowUp;
        why = reason;
        if (was != nowUp || first) {
            if (nowUp) log.info("remote engine {} is up", name);
            else log.warn("remote engine {} is down: {}", name, reason);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
