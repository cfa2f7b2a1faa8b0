package dev.voxgate.server.session;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that run recognition (CPU-bound), sized to the cores. Its queue holds at
 * most one turn per session (see {@link SessionLane}), so it is bounded by the session cap.
 */
public final class DecoderPool implements Executor, AutoCloseable {
    private final ThreadPoolExecutor executor;

    public DecoderPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "voxgate-decoder-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
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
        ExecutorService e = executor;
        e.shutdown();
        try {
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) e.shutdownNow();
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
