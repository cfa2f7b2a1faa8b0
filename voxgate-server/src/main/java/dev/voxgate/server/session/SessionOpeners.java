package dev.voxgate.server.session;

import dev.voxgate.api.NativeWorkers;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The threads that open streaming sessions' engine sessions, apart from the decoders, so that
 * {@code ready} does not wait behind every other session's decode turns. Usually quick (a warm
 * recognizer is handed over), but an engine may have to build one: native, CPU-bound work that
 * would pin a virtual thread's carrier, which Jetty's threads share; so platform threads, as many
 * as the decoders (more would not build faster). Idle ones exit after 30 s. The queue holds at
 * most one open per session being admitted, so it is bounded by {@code MAX_SESSIONS}.
 */
public final class SessionOpeners implements Executor, AutoCloseable {
    private final ThreadPoolExecutor executor;

    public SessionOpeners(int threads) {
        this.executor = NativeWorkers.fixed("voxgate-session-open", threads, Duration.ofSeconds(30));
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    /** Lets the opens already queued finish (each ends its session if it comes too late), then stops. */
    @Override
    public void close() {
        NativeWorkers.shutdown(executor, Duration.ofSeconds(5));
    }
}
