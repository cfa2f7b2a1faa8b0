package dev.voxgate.engine.twopass;

import dev.voxgate.api.NativeWorkers;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Where the second pass runs ahead of the first engine's final: a FIFO of decodes shared by every
 * two-pass session, on platform threads (a decode is a long native call, which would pin a virtual
 * thread's carrier). As many threads as cores: the second engine bounds how many decodes run at
 * once itself, and first come, first served keeps sessions fair to each other.
 */
final class SpeculativeDecodes implements AutoCloseable {
    private final ExecutorService executor;

    SpeculativeDecodes(int threads) {
        this.executor = NativeWorkers.fixed("voxgate-twopass-ahead", threads, Duration.ofSeconds(30));
    }

    <T> Future<T> submit(Callable<T> decode) {
        return executor.submit(decode);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
