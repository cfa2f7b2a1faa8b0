package dev.voxgate.engine.twopass;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the second pass runs ahead of the first engine's final: a few platform threads shared by
 * every two-pass session (a decode is a long native call, which would pin a virtual thread's
 * carrier), and no queue. A decode ahead is only worth starting while a thread is free: queued
 * behind others it would start late, when the final it hoped to replace may already be decoding,
 * and under load it would take the second engine from the finals people are waiting for. So a
 * session whose decode is refused tries again on its next chunk, and when the machine is busy the
 * finals are simply decoded at the end of their utterance, as without decoding ahead.
 */
final class SpeculativeDecodes implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    /**
     * @param threads decodes ahead that may run at once; fewer than the second engine's own limit,
     *                so a final never waits for a decode ahead to give up its place
     */
    SpeculativeDecodes(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "voxgate-twopass-ahead-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** The threads for a machine with {@code cores}: half of them, at least one. */
    static int threadsFor(int cores) {
        return Math.max(1, cores / 2);
    }

    /** Whether a submission now would likely be refused (every thread busy); a hint that saves copying audio. */
    boolean busy() {
        return executor.getActiveCount() >= executor.getMaximumPoolSize();
    }

    /** Starts {@code decode} on a free thread, or returns null when none is free (or the pool is closed). */
    <T> Future<T> trySubmit(Callable<T> decode) {
        try {
            return executor.submit(decode);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
