package dev.voxgate.api;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pools of platform threads for recognition and other native, CPU-bound calls. Such a call would
 * pin a virtual thread's carrier (and Jetty's threads share those carriers), so engines and the
 * server run them here instead. The threads are daemons, so a pool left open never keeps the JVM up.
 */
public final class NativeWorkers {
    private NativeWorkers() {
    }

    /** {@code threads} named {@code name-1..n}, first come first served; they stay while the pool is open. */
    public static ThreadPoolExecutor fixed(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** As {@link #fixed(String, int)}, but a thread idle for {@code idle} exits (work that comes in bursts). */
    public static ThreadPoolExecutor fixed(String name, int threads, Duration idle) {
        ThreadPoolExecutor pool = fixed(name, threads);
        pool.setKeepAliveTime(idle.toMillis(), TimeUnit.MILLISECONDS);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Lets queued work finish for up to {@code grace}, then interrupts what still runs. */
    public static void shutdown(ExecutorService pool, Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
