package dev.voxgate.engine.twopass;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the second pass runs ahead of the first engine's final: a FIFO of decodes shared by every
 * two-pass session, on platform threads (a decode is a long native call, which would pin a virtual
 * thread's carrier). As many threads as cores: the second engine bounds how many decodes run at
 * once itself, and first come, first served keeps sessions fair to each other.
 */
final class SpeculativeDecodes implements AutoCloseable {
    private final ExecutorService executor;

    SpeculativeDecodes(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "voxgate-twopass-ahead-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
    }

    <T> Future<T> submit(Callable<T> decode) {
        return executor.submit(decode);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
