package dev.voxgate.engine.upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the remote answers: asks its readiness URL at start and then every interval, on a daemon thread of its own,
 * and is told of sessions that could or could not connect. A remote that is down when the server starts is therefore
 * used as soon as it answers, without a restart. Logs only changes, and never the key.
 */
final class RemoteProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteProbe.class);

    private final String name;
    private final HttpClient http;
    private final URI url;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private volatile boolean up;
    private volatile String why = "not asked yet";

    RemoteProbe(String name, HttpClient http, URI url, Duration timeout, Duration interval) {
        this.name = name;
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("voxgate-probe-" + name).unstarted(r));
        probe();
        timer.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isUp() {
        return up;
    }

    /** Why it is down, for the operator; no secrets. */
    String why() {
        return why;
    }

    /** A session connected: the remote is up whatever the last probe said. */
    void reachable() {
        set(true, "answering");
    }

    /** A session could not connect: down until the next probe says otherwise. */
    void unreachable(String reason) {
        set(false, reason);
    }

    private void probe() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) set(true, "answering");
            else set(false, url + " answered HTTP " + r.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // any failure to ask means down; the next probe asks again
            set(false, url + " did not answer (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void set(boolean nowUp, String reason) {
        boolean was = up;
        up = nowUp;
        why = reason;
        if (was != nowUp) {
            if (nowUp) log.info("remote engine {} is up ({})", name, url);
            else log.warn("remote engine {} is down: {}", name, reason);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
