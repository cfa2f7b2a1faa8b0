package dev.voxgate.server.session;

import dev.voxgate.api.NativeWorkers;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The platform threads that run recognition (CPU-bound), sized to the cores. Its queue holds at
 * most one turn per session (see {@link SessionLane}), so it is bounded by the session cap.
 */
public final class DecoderPool implements Executor, AutoCloseable {
    private final ThreadPoolExecutor executor;

    public DecoderPool(int threads) {
        this.executor = NativeWorkers.fixed("voxgate-decoder", threads);
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    public int threads() {
        return executor.getMaximumPoolSize();
    }

    @Override
    public void close() {
        NativeWorkers.shutdown(executor, Duration.ofSeconds(5));
    }
}
